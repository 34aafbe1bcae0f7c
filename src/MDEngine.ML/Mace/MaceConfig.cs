using System.Text.Json;
using System.Text.Json.Nodes;

namespace MDEngine.ML.Mace;

/// <summary>
/// A MACE model's hyperparameters, named as mace-torch's constructor names them, plus the scale/shift of
/// <c>ScaleShiftMACE</c> and the isolated-atom energies. Read from the model's JSON file; anything the evaluator does
/// not implement is reported by name (<see cref="MaceModelException"/>).
/// </summary>
public sealed class MaceConfig
{
    public required string ModelType { get; init; }
    public required double RMax { get; init; }
    public required int NumBessel { get; init; }
    public required int NumPolynomialCutoff { get; init; }
    public required int MaxEll { get; init; }
    public required int NumInteractions { get; init; }
    public required string HiddenIrreps { get; init; }
    public required string MlpIrreps { get; init; }
    public required int[] AtomicNumbers { get; init; }
    public required double[] AtomicEnergies { get; init; }
    public required double AvgNumNeighbors { get; init; }
    public required int[] Correlation { get; init; }
    public required int[] RadialMlp { get; init; }
    public double Scale { get; init; } = 1.0;
    public double Shift { get; init; }

    public const string SupportedInteraction = "RealAgnosticResidualInteractionBlock";

    public static MaceConfig Load(string path)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new MaceModelException($"{path}: not valid JSON ({e.Message})"); }
        if (root is not JsonObject o) throw new MaceModelException($"{path}: the model file must hold a JSON object");
        return FromJson(o, path);
    }

    public static MaceConfig FromJson(JsonObject o, string source)
    {
        string Str(string key, string? fallback = null) =>
            o[key]?.GetValue<string>() ?? fallback ?? throw new MaceModelException($"{source}: missing '{key}'");
        double Num(string key, double? fallback = null) =>
            o[key] is JsonNode n ? n.GetValue<double>() : fallback ?? throw new MaceModelException($"{source}: missing '{key}'");
        int Int(string key, int? fallback = null) => (int)Num(key, fallback);

        string modelType = Str("model_type", "MACE");
        if (modelType is not ("ScaleShiftMACE" or "MACE"))
            throw new MaceModelException($"{source}: model type '{modelType}' is not supported (supported: ScaleShiftMACE, MACE)");
        foreach (var key in new[] { "interaction_cls", "interaction_cls_first" })
        {
            string cls = Str(key, SupportedInteraction);
            if (!cls.Contains(SupportedInteraction))
                throw new MaceModelException($"{source}: {key} = '{cls}' is not supported (only {SupportedInteraction} is implemented)");
        }
        string radial = Str("radial_type", "bessel");
        if (radial != "bessel") throw new MaceModelException($"{source}: radial_type '{radial}' is not supported (only bessel)");
        string gate = Str("gate", "silu");
        if (gate != "silu") throw new MaceModelException($"{source}: gate '{gate}' is not supported (only silu)");
        foreach (var key in new[] { "distance_transform", "pair_repulsion", "heads", "cueq_config", "embedding_specs" })
            if (o[key] is JsonNode n && n.ToJsonString() is not ("null" or "false" or "\"None\"" or "[\"default\"]" or "[\"Default\"]"))
                throw new MaceModelException($"{source}: '{key}' = {n.ToJsonString()} is not supported");

        var atomicNumbers = o["atomic_numbers"]?.AsArray().Select(n => n!.GetValue<int>()).ToArray() ?? throw new MaceModelException($"{source}: missing 'atomic_numbers'");
        var atomicEnergies = o["atomic_energies"]?.AsArray().Select(n => n!.GetValue<double>()).ToArray() ?? throw new MaceModelException($"{source}: missing 'atomic_energies'");
        if (atomicEnergies.Length != atomicNumbers.Length) throw new MaceModelException($"{source}: {atomicEnergies.Length} atomic energies for {atomicNumbers.Length} elements");
        int interactions = Int("num_interactions");
        int[] correlation = o["correlation"] switch
        {
            JsonArray a => a.Select(n => n!.GetValue<int>()).ToArray(),
            JsonNode n => Enumerable.Repeat(n.GetValue<int>(), interactions).ToArray(),
            null => throw new MaceModelException($"{source}: missing 'correlation'"),
        };
        if (correlation.Length != interactions) throw new MaceModelException($"{source}: {correlation.Length} correlation orders for {interactions} interactions");
        if (interactions < 1) throw new MaceModelException($"{source}: num_interactions must be at least 1");
        var radialMlp = o["radial_MLP"]?.AsArray().Select(n => n!.GetValue<int>()).ToArray() ?? [64, 64, 64];
        return new MaceConfig
        {
            ModelType = modelType,
            RMax = Num("r_max"),
            NumBessel = Int("num_bessel"),
            NumPolynomialCutoff = Int("num_polynomial_cutoff"),
            MaxEll = Int("max_ell"),
            NumInteractions = interactions,
            HiddenIrreps = Str("hidden_irreps"),
            MlpIrreps = Str("MLP_irreps"),
            AtomicNumbers = atomicNumbers,
            AtomicEnergies = atomicEnergies,
            AvgNumNeighbors = Num("avg_num_neighbors"),
            Correlation = correlation,
            RadialMlp = radialMlp,
            Scale = modelType == "ScaleShiftMACE" ? Num("scale") : 1.0,
            Shift = modelType == "ScaleShiftMACE" ? Num("shift") : 0.0,
        };
    }
}

/// <summary>A model file the evaluator cannot use: malformed, or an architecture it does not implement.</summary>
public sealed class MaceModelException(string message) : MDEngine.ML.Graphs.ModelException(message);
