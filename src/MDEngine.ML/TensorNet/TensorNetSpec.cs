using System.Text.Json.Nodes;
using MDEngine.ML.Graphs;
using MDEngine.Potentials;
using MDEngine.Potentials.Formats;
using TorchSharp;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// Potential specifications for matgl TensorNet models: a model folder (<c>path/TensorNet-MatPES-PBE-v2025.1-PES/</c>,
/// or its model.json), or with options <c>tensornet:DIR,dtype=float64,device=cpu,threads=2</c> (the options every
/// model shares, see <see cref="ModelSpec"/>). The default dtype is float32, the precision matgl trains and runs these
/// models in; float64 casts the weights up.
/// </summary>
public sealed class TensorNetSpec : PotentialFormat
{
    public override string Name => "tensornet";
    public override string Help => "a matgl TensorNet model folder (or tensornet:DIR[,dtype=..,device=..,threads=..])";
    public override Potential? TryCreate(string spec) => TryParse(spec);

    /// <summary>The potential a TensorNet specification names, or null when the specification is not a TensorNet one
    /// (without the prefix, only a folder or model.json of a matgl TensorNet is claimed).</summary>
    public static Potential? TryParse(string spec)
    {
        bool prefixed = ModelSpec.HasPrefix(spec, "tensornet");
        if (!prefixed && !LooksLikeTensorNet(spec.Split(',')[0].Trim())) return null;
        var parsed = ModelSpec.Parse(spec, "tensornet");
        var settings = parsed.Torch;
        if (!ExplicitDType(spec)) settings = settings with { DType = torch.ScalarType.Float32 };
        return parsed.Load(() => TensorNetPotential.Load(parsed.Path, settings));
    }

    private static bool ExplicitDType(string spec) =>
        spec.Split(',').Skip(1).Any(part => part.Trim().StartsWith("dtype=", StringComparison.OrdinalIgnoreCase));

    private static bool LooksLikeTensorNet(string path)
    {
        string json = Directory.Exists(path) ? Path.Combine(path, "model.json")
            : Path.GetFileName(path).Equals("model.json", StringComparison.OrdinalIgnoreCase) ? path : "";
        if (!File.Exists(json)) return false;
        try { return JsonNode.Parse(File.ReadAllText(json))?["kwargs"]?["model"]?["@class"]?.GetValue<string>() == "TensorNet"; }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException) { return false; }
    }
}
