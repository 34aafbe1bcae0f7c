using System.Text.Json.Nodes;
using MDEngine.ML.Graphs;
using MDEngine.Structures;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// The hyperparameters of a matgl TensorNet potential, read from the <c>model.json</c> matgl writes beside
/// <c>state.pt</c>: a <c>matgl.apps._pes_pyg.Potential</c> whose <c>model</c> is a <c>TensorNet</c> with its
/// <c>init_args</c>. Options this implementation does not cover (state features, a ZBL repulsion, an intensive
/// readout, radial bases other than the smooth spherical Bessel one) are refused with a <see cref="ModelException"/>.
/// </summary>
public sealed record TensorNetConfig
{
    /// <summary>matgl's element list: the species index of an atom is the position of its symbol here (not Z − 1).</summary>
    public required string[] ElementTypes { get; init; }
    public required int[] AtomicNumbers { get; init; }
    /// <summary>Channels of every rank-2 tensor feature.</summary>
    public required int Units { get; init; }
    public required int Blocks { get; init; }
    /// <summary>Number of radial basis functions (matgl's max_n for the spherical Bessel basis).</summary>
    public required int RadialBasisSize { get; init; }
    public required double Cutoff { get; init; }
    /// <summary>"O(3)": the interaction product is M·Y + Y·M (invariant under reflections); "SO(3)": 2 Y·M.</summary>
    public required bool ReflectionInvariant { get; init; }
    /// <summary>The dtype matgl trained and saved the model in ("float32" for the published potentials).</summary>
    public required string TrainedDType { get; init; }

    public static TensorNetConfig Load(string modelJsonPath)
    {
        if (!File.Exists(modelJsonPath)) throw new ModelException($"'{modelJsonPath}' not found");
        // A value of the wrong JSON kind (a string where a number belongs) surfaces as InvalidOperationException.
        try { return Parse(modelJsonPath); }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelException($"model.json holds a value of the wrong kind ({e.Message})");
        }
    }

    private static TensorNetConfig Parse(string modelJsonPath)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(modelJsonPath)); }
        catch (System.Text.Json.JsonException e) { throw new ModelException($"model.json is not valid JSON ({e.Message})"); }
        var root = node as JsonObject ?? throw new ModelException("model.json is not a JSON object");
        string potentialClass = Text(root, "@class");
        var model = root["kwargs"]?["model"] as JsonObject;
        string modelClass = model is null ? "(none)" : Text(model, "@class");
        if (potentialClass != "Potential" || modelClass != "TensorNet")
            throw new ModelException($"model.json describes a matgl {potentialClass} of a {modelClass}, not a TensorNet potential");
        var kwargs = (JsonObject)root["kwargs"]!;
        var args = model!["init_args"] as JsonObject ?? throw new ModelException("model.json has no model init_args");

        Require(args, "include_state", false, "state features");
        Require(args, "is_intensive", false, "an intensive readout");
        Require(args, "task_type", "regression", "a classification task");
        Require(args, "activation_type", "swish", "an activation other than swish (SiLU)");
        Require(args, "rbf_type", "SphericalBessel", "a radial basis other than the spherical Bessel one");
        Require(args, "use_smooth", true, "the non-smooth spherical Bessel basis");
        Require(args, "ntargets", 1, "more than one target");
        if (kwargs["calc_repuls"]?.GetValue<bool>() == true) throw new ModelException("model.json asks for the ZBL repulsion (calc_repuls), which is not implemented");
        string group = Text(args, "equivariance_invariance_group");
        if (group != "O(3)" && group != "SO(3)") throw new ModelException($"unknown equivariance_invariance_group '{group}'");

        var elements = (args["element_types"] as JsonArray ?? throw new ModelException("model.json has no element_types"))
            .Select(e => e?.GetValue<string>() ?? throw new ModelException("element_types holds a null")).ToArray();
        var numbers = elements.Select(s => Element.TryFromSymbol(s, out var e) ? e.Z : throw new ModelException($"element_types holds '{s}', not an element")).ToArray();
        if (numbers.Distinct().Count() != numbers.Length) throw new ModelException("element_types lists an element twice");
        return new TensorNetConfig
        {
            ElementTypes = elements,
            AtomicNumbers = numbers,
            Units = Positive(args, "units"),
            Blocks = Positive(args, "nblocks", allowZero: true),
            RadialBasisSize = Positive(args, "max_n"),
            Cutoff = args["cutoff"]?.GetValue<double>() is double c && c > 0 ? c : throw new ModelException("model.json has no positive cutoff"),
            ReflectionInvariant = group == "O(3)",
            TrainedDType = (args["dtype"]?.GetValue<string>() ?? "torch.float32").Replace("torch.", ""),
        };
    }

    private static string Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : throw new ModelException($"model.json has no '{key}'");

    private static int Positive(JsonObject o, string key, bool allowZero = false) =>
        o[key] is JsonValue v && v.TryGetValue(out int n) && (n > 0 || (allowZero && n == 0))
            ? n : throw new ModelException($"model.json: '{key}' is missing or not a positive integer");

    private static void Require<T>(JsonObject o, string key, T expected, string what)
    {
        // matgl writes every init_arg; its defaults for some of these (a Gaussian basis, an intensive readout) are not
        // the supported ones, so a missing key is refused too.
        if (o[key] is not JsonValue v) throw new ModelException($"model.json has no '{key}' (needed to rule out {what})");
        if (!v.TryGetValue(out T? actual) || !EqualityComparer<T>.Default.Equals(actual, expected))
            throw new ModelException($"model.json asks for {what} ({key}={v.ToJsonString()}), which is not implemented");
    }
}
