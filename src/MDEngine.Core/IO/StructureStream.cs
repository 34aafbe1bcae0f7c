using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// The structures of a campaign's inputs, read lazily one file at a time: each argument is a file, a folder (every
/// file in it whose name tells a structure format, in name order) or a pattern with <c>*</c>/<c>?</c> in its file
/// name. Each frame comes with a key, <c>path@frame</c>, that names it across runs.
/// </summary>
public static class StructureStream
{
    public static IEnumerable<(string Key, Structure Structure)> Read(IEnumerable<string> arguments, string? format = null)
    {
        foreach (var path in arguments.SelectMany(Expand))
        {
            var frames = StructureFile.Read(path, format);
            for (int f = 0; f < frames.Count; f++) yield return ($"{path}@{f}", frames[f]);
        }
    }

    /// <summary>The files an argument names, in a fixed order.</summary>
    public static IEnumerable<string> Expand(string argument)
    {
        if (Directory.Exists(argument))
            return Directory.EnumerateFiles(argument).Where(IsStructureFile).Order(StringComparer.Ordinal);
        string name = Path.GetFileName(argument);
        if (name.IndexOfAny(['*', '?']) < 0) return [argument];
        string directory = Path.GetDirectoryName(argument) is { Length: > 0 } d ? d : ".";
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{argument}: the folder {directory} does not exist");
        var matches = Directory.EnumerateFiles(directory, name).Order(StringComparer.Ordinal).ToList();
        return matches.Count > 0 ? matches : throw new FileNotFoundException($"{argument}: no file matches", argument);
    }

    private static bool IsStructureFile(string path)
    {
        try { StructureFile.ResolveFormat(path); return true; }
        catch (InputException) { return false; }
    }
}
