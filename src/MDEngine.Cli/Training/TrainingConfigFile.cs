using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using MDEngine.ML.Training;

namespace MDEngine.Cli.Training;

/// <summary>A training config file: a YAML map of mace-torch option names to values (scalars as text, lists, maps).</summary>
internal static class TrainingConfigFile
{
    public static Dictionary<string, object?> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        var yaml = new YamlStream();
        try
        {
            using var text = File.OpenText(path);
            yaml.Load(text);
        }
        catch (YamlException e) { throw new TrainingException($"{path}: line {e.Start.Line}: {e.Message}"); }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new TrainingException($"{path}: the file must hold a map of option names to values");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            string name = ((YamlScalarNode)key).Value ?? "";
            if (!result.TryAdd(name, Value(value))) throw new TrainingException($"{path}: line {key.Start.Line}: '{name}' is given twice");
        }
        return result;
    }

    private static object? Value(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value is null or "null" or "~" ? null : s.Value,
        YamlSequenceNode seq => seq.Children.Select(Value).ToList(),
        YamlMappingNode map => map.Children.ToDictionary(kv => (object)(((YamlScalarNode)kv.Key).Value ?? ""), kv => Value(kv.Value)),
        _ => null,
    };
}
