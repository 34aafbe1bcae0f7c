using MDEngine.IO;
using TorchSharp;

namespace MDEngine.ML.Graphs;

/// <summary>
/// A model's potential specification, <c>[family:]path[,key=value]...</c>, parsed the same way for every ML family:
/// the keys every family shares (<c>dtype</c>, <c>device</c>, <c>threads</c>) become <see cref="Torch"/>, the
/// family's own keys (a MACE head, a TorchScript format) stay in <see cref="Options"/>. A key that is neither is
/// refused, naming the keys that are allowed.
/// </summary>
public sealed record ModelSpec(string Spec, string Path, TorchSettings Torch, IReadOnlyDictionary<string, string> Options)
{
    private static readonly string[] SharedKeys = ["dtype", "device", "threads"];

    /// <summary>True when <paramref name="spec"/> begins with <c>prefix:</c> (case-insensitive).</summary>
    public static bool HasPrefix(string spec, string prefix) =>
        spec.Length > prefix.Length && spec[prefix.Length] == ':' && spec.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a specification whose family prefix (if any) is <paramref name="prefix"/>;
    /// <paramref name="familyKeys"/> are the options the family accepts beside the shared ones.</summary>
    public static ModelSpec Parse(string spec, string prefix, params string[] familyKeys)
    {
        string body = HasPrefix(spec, prefix) ? spec[(prefix.Length + 1)..] : spec;
        var parts = body.Split(',', StringSplitOptions.TrimEntries);
        var torchSettings = new TorchSettings();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.Skip(1))
        {
            int eq = part.IndexOf('=');
            string key = eq > 0 ? part[..eq].Trim().ToLowerInvariant() : part, value = eq > 0 ? part[(eq + 1)..].Trim() : "";
            if (eq <= 0 || !(SharedKeys.Contains(key) || familyKeys.Contains(key, StringComparer.OrdinalIgnoreCase)))
                throw new InputException(null, null, $"'{spec}': unknown {prefix} option '{part}' (expected {string.Join(", ", SharedKeys.Concat(familyKeys).Select(k => k + "="))})");
            if (options.ContainsKey(key)) throw new InputException(null, null, $"'{spec}': {key} given twice");
            options[key] = value;
            torchSettings = key switch
            {
                "dtype" => torchSettings with { DType = ParseDType(spec, value) },
                "device" => torchSettings with { Device = value.ToLowerInvariant() },
                "threads" => torchSettings with
                {
                    Threads = int.TryParse(value, out int t) && t >= 1 ? t : throw new InputException(null, null, $"'{spec}': threads={value} is not a positive integer"),
                },
                _ => torchSettings,
            };
        }
        foreach (var key in SharedKeys) options.Remove(key);
        return new ModelSpec(spec, parts[0], torchSettings, options);
    }

    /// <summary>The family option <paramref name="key"/>, or null when not given.</summary>
    public string? Option(string key) => Options.TryGetValue(key, out var v) ? v : null;

    private static torch.ScalarType ParseDType(string spec, string value) => TorchSettings.ParseDType(value)
        ?? throw new InputException(null, null, $"'{spec}': dtype={value} is not float64 or float32");

    /// <summary>Runs a loader, reporting a missing file, a malformed model and an I/O failure as bad input naming the
    /// file (exit 2 at the command line), never as a raw runtime error.</summary>
    public T Load<T>(Func<T> load)
    {
        if (!File.Exists(Path) && !Directory.Exists(Path)) throw new FileNotFoundException($"model file '{Path}' not found", Path);
        try { return load(); }
        catch (ModelException e) { throw new InputException(Path, null, e.Message); }
        catch (InvalidDataException e) { throw new InputException(Path, null, e.Message); }
        catch (EndOfStreamException e) { throw new InputException(Path, null, $"the file ends early ({e.Message})"); }
        catch (System.Text.Json.JsonException e) { throw new InputException(Path, null, $"malformed JSON: {e.Message}"); }
    }
}
