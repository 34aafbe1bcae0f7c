using System.Text.Json.Nodes;
using MDEngine.IO;
using MDEngine.Potentials;
using TorchSharp;

namespace MDEngine.ML.Mace;

/// <summary>
/// Potential specifications for MACE models, for <see cref="PotentialSpec"/>:
/// <c>path/model.json</c> (a file written by tools/mace_export.py), or with options
/// <c>mace:path/model.json,dtype=float32,device=cuda</c> (dtype float64|float32, device cpu|cuda|cuda:N|auto, threads N).
/// </summary>
public static class MaceSpec
{
    private static int _registered;

    /// <summary>Registers the MACE handler with <see cref="PotentialSpec"/> (once; later calls do nothing).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0) PotentialSpec.Register(TryParse);
    }

    /// <summary>The potential a MACE specification names, or null when the specification is not a MACE one.</summary>
    public static Potential? TryParse(string spec)
    {
        bool prefixed = spec.StartsWith("mace:", StringComparison.OrdinalIgnoreCase);
        if (!prefixed && !spec.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = (prefixed ? spec[5..] : spec).Split(',', StringSplitOptions.TrimEntries);
        string path = parts[0];
        var options = new MaceOptions();
        foreach (var part in parts.Skip(1))
        {
            int eq = part.IndexOf('=');
            string key = eq > 0 ? part[..eq].ToLowerInvariant() : part, value = eq > 0 ? part[(eq + 1)..] : "";
            options = key switch
            {
                "dtype" => options with
                {
                    DType = value.ToLowerInvariant() switch
                    {
                        "float64" or "double" => torch.ScalarType.Float64,
                        "float32" or "float" => torch.ScalarType.Float32,
                        _ => throw new InputException(null, null, $"'{spec}': dtype={value} is not float64 or float32"),
                    },
                },
                "device" => options with { Device = value.ToLowerInvariant() },
                "threads" => options with
                {
                    Threads = int.TryParse(value, out int t) && t >= 1 ? t : throw new InputException(null, null, $"'{spec}': threads={value} is not a positive integer"),
                },
                _ => throw new InputException(null, null, $"'{spec}': unknown MACE option '{part}' (expected dtype=, device=, threads=)"),
            };
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"MACE model file '{path}' not found", path);
        if (!prefixed && !LooksLikeMace(path)) return null;
        try { return MacePotential.Load(path, options); }
        catch (MaceModelException e) { throw new InputException(path, null, e.Message); }
        catch (InvalidDataException e) { throw new InputException(path, null, e.Message); }
    }

    private static bool LooksLikeMace(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o.ContainsKey("hidden_irreps"); }
        catch (System.Text.Json.JsonException) { return false; }
    }
}
