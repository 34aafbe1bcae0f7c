using System.Text.Json;
using System.Text.Json.Nodes;

namespace MDEngine.ML.Mace;

/// <summary>
/// A MACE model's hyperparameters, named as mace-torch's constructor names them, plus the scale/shift of
/// <c>ScaleShiftMACE</c> and the isolated-atom energies. Read from the model's JSON file; anything the evaluator does
/// not implement is reported by name (<see cref="MaceModelException"/>).
/// </summary>
public sealed partial class MaceConfig
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
    /// <summary>Isolated-atom energies E0, [heads × elements] head-major (one row per head).</summary>
    public required double[] AtomicEnergies { get; init; }
    public required double AvgNumNeighbors { get; init; }
    public required int[] Correlation { get; init; }
    public required int[] RadialMlp { get; init; }
    /// <summary>The heads of a multi-head model (mace-torch's <c>model.heads</c>); one head otherwise.</summary>
    public string[] Heads { get; init; } = ["Default"];
    /// <summary>ScaleShiftMACE's scale and shift, one per head.</summary>
    public double[] Scale { get; init; } = [1.0];
    public double[] Shift { get; init; } = [0.0];

    /// <summary>The head mace-torch's calculator uses: the one given by name, else the only one, else the one named
    /// "default" (any case).</summary>
    public int HeadIndex(string? name)
    {
        if (name is not null)
            return Array.IndexOf(Heads, name) is int i and >= 0 ? i
                : throw new MaceModelException($"the model has no head '{name}' (its heads: {string.Join(", ", Heads)})");
        if (Heads.Length == 1) return 0;
        return Array.FindIndex(Heads, h => h.Equals("default", StringComparison.OrdinalIgnoreCase)) is int d and >= 0 ? d
            : throw new MaceModelException($"the model has several heads and none is 'Default': choose one with head=NAME (its heads: {string.Join(", ", Heads)})");
    }

    /// <summary>The interaction block of the first layer and of the later ones (mace-torch's class names).</summary>
    public string InteractionClsFirst { get; init; } = ResidualInteraction;
    public string InteractionCls { get; init; } = ResidualInteraction;

    public const string ResidualInteraction = "RealAgnosticResidualInteractionBlock";
    public const string PlainInteraction = "RealAgnosticInteractionBlock";
    public const string DensityInteraction = "RealAgnosticDensityInteractionBlock";
    public const string DensityResidualInteraction = "RealAgnosticDensityResidualInteractionBlock";
    public const string NonLinearInteraction = "RealAgnosticResidualNonLinearInteractionBlock";
    public static readonly string[] SupportedInteractions = [ResidualInteraction, PlainInteraction, DensityInteraction, DensityResidualInteraction, NonLinearInteraction];

    /// <summary>Residual blocks mix the layer's input into its output (self-connection); the others mix the message.</summary>
    public static bool IsResidual(string interaction) => interaction is ResidualInteraction or DensityResidualInteraction or NonLinearInteraction;
    /// <summary>Density blocks normalise the message by a learned local density instead of avg_num_neighbors.</summary>
    public static bool NormalisesByDensity(string interaction) => interaction is DensityInteraction or DensityResidualInteraction;

    /// <summary>ZBL pair repulsion added to the atomic energies (mace-torch's pair_repulsion).</summary>
    public bool PairRepulsion { get; init; }
    /// <summary>The distance transform of the radial basis: null or "Agnesi".</summary>
    public string? DistanceTransform { get; init; }
    /// <summary>The irreps the node features are up-projected to before the convolution (mace-torch's edge_irreps);
    /// null: the node features' own. With <see cref="UseEdgeIrrepsFirst"/> the first layer uses their scalars.</summary>
    public string? EdgeIrreps { get; init; }
    public bool UseEdgeIrrepsFirst { get; init; }
    /// <summary>Product weights shared by all elements (one set instead of one per element).</summary>
    public bool UseAgnosticProduct { get; init; }
    /// <summary>Only the last layer has a (non-linear) readout.</summary>
    public bool UseLastReadoutOnly { get; init; }

    /// <summary>The interaction class of layer <paramref name="i"/>.</summary>
    public string InteractionClass(int i) => i == 0 ? InteractionClsFirst : InteractionCls;

    /// <summary>A block's class name from how files write it ("RealAgnosticInteractionBlock",
    /// "&lt;class 'mace.modules.blocks.RealAgnosticInteractionBlock'&gt;").</summary>
    private static string BlockName(string text)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text, @"(\w+Block)");
        return m.Success ? m.Groups[1].Value : text;
    }

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
            o[key] is JsonNode n ? (n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : throw new MaceModelException($"{source}: '{key}' is not a string"))
                : fallback ?? throw new MaceModelException($"{source}: missing '{key}'");
        double Num(string key, double? fallback = null) =>
            o[key] is JsonNode n ? Number(n, source, key) : fallback ?? throw new MaceModelException($"{source}: missing '{key}'");
        int Int(string key, int? fallback = null) => Integer(Num(key, fallback), source, key);
        int[] Ints(JsonNode? n, string key) => n is JsonArray a ? a.Select(v => Integer(Number(v, source, key), source, key)).ToArray()
            : throw new MaceModelException($"{source}: '{key}' is not a list of integers");

        // Every unsupported part is named at once, so a user learns in one try what the file needs.
        var unsupported = new List<string>();
        string modelType = Str("model_type", "MACE");
        if (modelType is not ("ScaleShiftMACE" or "MACE"))
            unsupported.Add($"model type '{modelType}' (supported: ScaleShiftMACE, MACE)");
        string InteractionClass(string key)
        {
            string cls = BlockName(Str(key, ResidualInteraction));
            if (!SupportedInteractions.Contains(cls)) unsupported.Add($"{key} = '{cls}' (supported: {string.Join(", ", SupportedInteractions)})");
            return cls;
        }
        string first = InteractionClass("interaction_cls_first"), later = InteractionClass("interaction_cls");
        string radial = Str("radial_type", "bessel");
        if (radial != "bessel") unsupported.Add($"radial_type '{radial}' (only bessel)");
        string gate = Str("gate", "silu");
        if (gate != "silu") unsupported.Add($"gate '{gate}' (only silu)");
        string? transform = o["distance_transform"] is JsonNode dt && dt.GetValueKind() == JsonValueKind.String ? dt.GetValue<string>().Replace("Transform", "") : null;
        if (transform is "None") transform = null;
        if (transform is not (null or "Agnesi")) unsupported.Add($"distance_transform '{transform}' (supported: Agnesi)");
        bool pairRepulsion = o["pair_repulsion"] is JsonNode pr && pr.GetValueKind() == JsonValueKind.True;
        bool Flag(string key) => o[key] is JsonNode f && f.GetValueKind() == JsonValueKind.True;
        string? edgeIrreps = o["edge_irreps"] is JsonNode ei && ei.GetValueKind() == JsonValueKind.String ? ei.GetValue<string>() : null;
        foreach (var key in new[] { "cueq_config", "embedding_specs", "use_so3", "use_embedding_readout" })
            if (o[key] is JsonNode n && n.ToJsonString() is not ("null" or "false" or "\"None\"" or "[\"default\"]" or "[\"Default\"]"))
                unsupported.Add($"'{key}' = {n.ToJsonString()}");
        if (unsupported.Count > 0)
            throw new MaceModelException($"{source}: not supported: {string.Join("; ", unsupported)}");

        var atomicNumbers = (o["atomic_numbers"] is JsonNode zs ? Ints(zs, "atomic_numbers") : null) ?? throw new MaceModelException($"{source}: missing 'atomic_numbers'");
        var atomicEnergies = (o["atomic_energies"] is JsonArray es ? es.SelectMany(n => n is JsonArray row ? row.Select(v => Number(v, source, "atomic_energies")) : [Number(n, source, "atomic_energies")]).ToArray() : null) ?? throw new MaceModelException($"{source}: missing 'atomic_energies'");
        string[] heads = o["heads"] is JsonArray hs ? hs.Select(h => h?.GetValueKind() == JsonValueKind.String ? h.GetValue<string>() : throw new MaceModelException($"{source}: 'heads' must be a list of names")).ToArray() : ["Default"];
        if (heads.Length == 0) throw new MaceModelException($"{source}: 'heads' is empty");
        if (atomicEnergies.Length != heads.Length * atomicNumbers.Length)
            throw new MaceModelException($"{source}: {atomicEnergies.Length} atomic energies for {heads.Length} head(s) × {atomicNumbers.Length} elements");
        double[] PerHead(string key, double fallback)
        {
            double[] values = modelType != "ScaleShiftMACE" ? [fallback]
                : o[key] is JsonArray a ? a.Select(v => Number(v, source, key)).ToArray() : [Num(key)];
            return values.Length == heads.Length ? values : values.Length == 1 ? Enumerable.Repeat(values[0], heads.Length).ToArray()
                : throw new MaceModelException($"{source}: {values.Length} values of '{key}' for {heads.Length} heads");
        }
        int interactions = Int("num_interactions");
        int[] correlation = o["correlation"] switch
        {
            JsonArray a => Ints(a, "correlation"),
            JsonNode n => Enumerable.Repeat(Integer(Number(n, source, "correlation"), source, "correlation"), interactions).ToArray(),
            null => throw new MaceModelException($"{source}: missing 'correlation'"),
        };
        if (correlation.Length != interactions) throw new MaceModelException($"{source}: {correlation.Length} correlation orders for {interactions} interactions");
        if (interactions < 1) throw new MaceModelException($"{source}: num_interactions must be at least 1");
        var radialMlp = o["radial_MLP"] is JsonNode mlp ? Ints(mlp, "radial_MLP") : [64, 64, 64];
        if (Num("r_max") <= 0) throw new MaceModelException($"{source}: r_max = {Num("r_max")} is not a positive distance");
        if (Int("num_bessel") < 1 || Int("num_polynomial_cutoff") < 1 || Int("max_ell") < 0)
            throw new MaceModelException($"{source}: num_bessel, num_polynomial_cutoff must be positive and max_ell non-negative");
        if (Num("avg_num_neighbors") <= 0) throw new MaceModelException($"{source}: avg_num_neighbors = {Num("avg_num_neighbors")} is not positive");
        return new MaceConfig
        {
            ModelType = modelType,
            InteractionClsFirst = first,
            InteractionCls = later,
            PairRepulsion = pairRepulsion,
            DistanceTransform = transform,
            EdgeIrreps = edgeIrreps is "None" ? null : edgeIrreps,
            UseEdgeIrrepsFirst = Flag("use_edge_irreps_first"),
            UseAgnosticProduct = Flag("use_agnostic_product"),
            UseLastReadoutOnly = Flag("use_last_readout_only"),
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
            Heads = heads,
            Scale = PerHead("scale", 1.0),
            Shift = PerHead("shift", 0.0),
        };
    }
}

public sealed partial class MaceConfig
{
    /// <summary>The hyperparameters under the keys <see cref="FromJson"/> reads (the model JSON of MDEngine's format).</summary>
    public JsonObject ToJson()
    {
        static JsonArray Array<T>(IEnumerable<T> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        var o = new JsonObject
        {
            ["model_type"] = ModelType,
            ["interaction_cls_first"] = InteractionClsFirst,
            ["interaction_cls"] = InteractionCls,
            ["r_max"] = RMax,
            ["num_bessel"] = NumBessel,
            ["num_polynomial_cutoff"] = NumPolynomialCutoff,
            ["max_ell"] = MaxEll,
            ["num_interactions"] = NumInteractions,
            ["hidden_irreps"] = HiddenIrreps,
            ["MLP_irreps"] = MlpIrreps,
            ["atomic_numbers"] = Array(AtomicNumbers),
            ["atomic_energies"] = Array(AtomicEnergies),
            ["avg_num_neighbors"] = AvgNumNeighbors,
            ["correlation"] = Array(Correlation),
            ["radial_MLP"] = Array(RadialMlp),
            ["heads"] = Array(Heads),
            ["scale"] = Array(Scale),
            ["shift"] = Array(Shift),
            ["pair_repulsion"] = PairRepulsion,
            ["use_edge_irreps_first"] = UseEdgeIrrepsFirst,
            ["use_agnostic_product"] = UseAgnosticProduct,
            ["use_last_readout_only"] = UseLastReadoutOnly,
        };
        if (DistanceTransform is not null) o["distance_transform"] = DistanceTransform;
        if (EdgeIrreps is not null) o["edge_irreps"] = EdgeIrreps;
        return o;
    }

    /// <summary>A finite JSON number (any JSON number representation), or a clear error.</summary>
    private static double Number(JsonNode? n, string source, string key)
    {
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
            return d;
        throw new MaceModelException($"{source}: '{key}' = {n?.ToJsonString() ?? "null"} is not a finite number");
    }

    private static int Integer(double v, string source, string key) =>
        v == Math.Floor(v) && Math.Abs(v) <= int.MaxValue ? (int)v : throw new MaceModelException($"{source}: '{key}' = {v} is not an integer");
}

/// <summary>A model file the evaluator cannot use: malformed, or an architecture it does not implement.</summary>
public sealed class MaceModelException(string message) : MDEngine.ML.Graphs.ModelException(message);
