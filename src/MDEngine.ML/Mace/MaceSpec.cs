using System.Text.Json.Nodes;
using MDEngine.IO;
using MDEngine.ML.Graphs;
using MDEngine.Potentials;
using MDEngine.Potentials.Formats;

namespace MDEngine.ML.Mace;

/// <summary>
/// Potential specifications for MACE models: a mace-torch <c>file.model</c> (read directly), <c>path/model.json</c> (a
/// file written by tools/mace_export.py), or with options <c>mace:path/model.json,dtype=float32,device=cuda,threads=2</c> (the options every model shares, see
/// <see cref="ModelSpec"/>).
/// </summary>
public sealed class MaceSpec : PotentialFormat
{
    public override string Name => "mace";
    public override string Help => "a MACE model (file.model, model.json, or mace:FILE[,dtype=..,device=..,threads=..,head=..,radial_spline=N])";
    public override Potential? TryCreate(string spec) => TryParse(spec);

    /// <summary>The potential a MACE specification names, or null when the specification is not a MACE one.</summary>
    public static Potential? TryParse(string spec)
    {
        bool prefixed = ModelSpec.HasPrefix(spec, "mace");
        string path = spec.Split(',')[0];
        bool json = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase), model = path.EndsWith(".model", StringComparison.OrdinalIgnoreCase);
        if (!prefixed && !json && !model) return null;
        var parsed = ModelSpec.Parse(spec, "mace", "head", "radial_spline");
        int? splinePoints = RadialSplinePoints(spec, parsed.Option("radial_spline"));
        if (!File.Exists(parsed.Path)) throw new FileNotFoundException($"MACE model file '{parsed.Path}' not found", parsed.Path);
        if (!prefixed && json && !LooksLikeMace(parsed.Path)) return null;
        var options = new MaceOptions
        {
            DType = parsed.Torch.DType, Device = parsed.Torch.Device, Threads = parsed.Torch.Threads, Head = parsed.Option("head"),
            RadialSplinePoints = splinePoints,
        };
        return MaceModelFile.IsTorchArchive(parsed.Path)
            ? parsed.Load(() => MacePotential.LoadModelFile(parsed.Path, options))
            : parsed.Load(() => MacePotential.Load(parsed.Path, options));
    }

    /// <summary><c>radial_spline=N</c>: N ≥ 16 intervals, or null when the key is absent.</summary>
    private static int? RadialSplinePoints(string spec, string? value)
    {
        if (value is null) return null;
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= MaceOptions.MinimumRadialSplinePoints
            ? n : throw new InputException(null, null, $"'{spec}': radial_spline={value} is not an integer of at least {MaceOptions.MinimumRadialSplinePoints}");
    }

    private static bool LooksLikeMace(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o.ContainsKey("hidden_irreps"); }
        catch (System.Text.Json.JsonException) { return false; }
    }
}
