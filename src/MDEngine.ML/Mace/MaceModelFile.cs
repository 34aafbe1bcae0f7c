using System.Text.Json.Nodes;
using MDEngine.ML.IO;
using MDEngine.ML.IO.Pickle;

namespace MDEngine.ML.Mace;

/// <summary>
/// Reads a mace-torch <c>.model</c> file (<c>torch.save</c> of the whole module, as mace-torch's training and the
/// foundation-model downloads write it) without Python: the module tree is read as data by a restricted unpickler
/// that accepts only the classes of mace-torch, e3nn, torch and the Python built-ins they use, and the
/// hyperparameters are recovered from it as <c>tools/mace_export.py</c> does in Python. The result is the same
/// (config, state_dict) pair the exported JSON + safetensors give.
/// </summary>
public static class MaceModelFile
{
    /// <summary>True when the path looks like a torch.save zip archive (the kind of file, not yet its content).</summary>
    public static bool IsTorchArchive(string path)
    {
        if (!File.Exists(path)) return false;
        using var f = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return f.Read(magic) == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
    }

    public static (MaceConfig Config, Dictionary<string, SafeTensor> Weights) Read(string path)
    {
        var root = TorchArchive.Load(path, IsAllowed);
        if (root is not PyObject obj) throw new MaceModelException("the file does not hold a pickled model (a state_dict alone is not enough: MACE needs the whole module)");
        if (obj.Type.Module != "mace.modules.models")
            throw new MaceModelException($"the file holds a {obj.Type.FullName}, not a MACE model");
        var model = new TorchModule(obj);
        var weights = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToSafeTensor(), StringComparer.Ordinal);
        // e3nn's normalised activations keep their factor 1/√E[f(z)²] (a Monte Carlo estimate made when the model was
        // built) as a plain attribute; the evaluator needs the very number, so it joins the weights under its path.
        foreach (var (prefix, module) in model.Walk())
            if (module.ClassName == "normalize2mom" && module.Attribute("cst") is double cst)
                weights[$"{prefix}cst"] = new SafeTensor("F64", [1], [cst]);
        return (MaceConfig.FromJson(Hyperparameters(model), path), weights);
    }

    /// <summary>mace-torch, e3nn and torch classes, and the Python built-ins a module pickle uses; nothing else.</summary>
    private static bool IsAllowed(PyGlobal g) =>
        g.Module.Split('.')[0] is "mace" or "e3nn" or "torch" or "collections" or "_codecs" or "copyreg"
        || (g.Module is "builtins" or "__builtin__" && g.Name is "set" or "frozenset" or "dict" or "list" or "tuple" or "slice" or "getattr")
        || (g.Module is "numpy.core.multiarray" or "numpy._core.multiarray" or "numpy" && g.Name is "scalar" or "dtype" or "_reconstruct" or "ndarray");

    /// <summary>The constructor arguments under mace-torch's names, read from the module tree.</summary>
    private static JsonObject Hyperparameters(TorchModule model)
    {
        var interactions = model.RequiredChild("interactions").Children().Select(c => c.Module).ToArray();
        var products = model.RequiredChild("products").Children().Select(c => c.Module).ToArray();
        var readouts = model.RequiredChild("readouts").Children().Select(c => c.Module).ToArray();
        bool lastReadoutOnly = model.Attribute("use_last_readout_only") is true;
        if (interactions.Length == 0 || products.Length != interactions.Length || readouts.Length != (lastReadoutOnly ? 1 : interactions.Length))
            throw new MaceModelException($"the model has {interactions.Length} interactions, {products.Length} products and {readouts.Length} readouts");
        var radial = model.RequiredChild("radial_embedding");
        var bessel = radial.RequiredChild("bessel_fn");
        var mlp = interactions[0].RequiredChild("conv_tp_weights");
        // e3nn's FullyConnectedNet keeps [in, out] weights in layer0, layer1, …; mace-torch's RadialMLP torch Linear
        // layers ([out, in]) inside a Sequential.
        var widths = mlp.ClassName == "RadialMLP"
            ? mlp.Walk().Where(m => m.Module.ClassName == "Linear").Select(m => m.Module.RequiredTensor("weight").Shape[0]).ToArray()
            : mlp.Children().Select(c => c.Module.RequiredTensor("weight").Shape[1]).ToArray();
        var json = new JsonObject
        {
            ["model_type"] = model.ClassName,
            ["r_max"] = Number(model, "r_max"),
            ["num_bessel"] = bessel.RequiredTensor("bessel_weights").Count,
            ["num_polynomial_cutoff"] = Number(radial.RequiredChild("cutoff_fn"), "p"),
            ["max_ell"] = Number(model.RequiredChild("spherical_harmonics"), "_lmax"),
            ["interaction_cls_first"] = interactions[0].ClassName,
            ["interaction_cls"] = interactions[^1].ClassName,
            ["num_interactions"] = interactions.Length,
            ["hidden_irreps"] = IrrepsText(products[0].RequiredChild("linear").Attribute("irreps_out")),
            ["MLP_irreps"] = readouts[^1].Child("linear_1") is { } linear1 ? IrrepsText(linear1.Attribute("irreps_out")) : "0x0e",
            ["gate"] = Gate(readouts[^1]),
            ["atomic_energies"] = Array(model.RequiredChild("atomic_energies_fn").RequiredTensor("atomic_energies").Values),
            ["avg_num_neighbors"] = Number(interactions[0], "avg_num_neighbors"),
            ["atomic_numbers"] = new JsonArray(model.RequiredTensor("atomic_numbers").Values.Select(z => (JsonNode)(int)z).ToArray()),
            ["correlation"] = new JsonArray(products.Select(p => (JsonNode)(Contractions(p).RequiredChild("weights").Parameters().Count() + 1)).ToArray()),
            ["radial_type"] = bessel.ClassName == "BesselBasis" ? "bessel" : bessel.ClassName,
            ["radial_MLP"] = new JsonArray(widths[..^1].Select(w => (JsonNode)w).ToArray()),
        };
        if (model.ClassName == "ScaleShiftMACE")
        {
            var scaleShift = model.RequiredChild("scale_shift");
            json["scale"] = Array(scaleShift.RequiredTensor("scale").Values);
            json["shift"] = Array(scaleShift.RequiredTensor("shift").Values);
        }
        if (model.Attribute("heads") is List<object?> { Count: > 0 } heads) json["heads"] = new JsonArray(heads.Select(h => (JsonNode?)h?.ToString()).ToArray());
        if (model.Attribute("pair_repulsion") is true || model.Child("pair_repulsion_fn") is not null) json["pair_repulsion"] = true;
        foreach (var flag in new[] { "use_agnostic_product", "use_last_readout_only", "use_edge_irreps_first", "use_so3", "use_embedding_readout" })
            if (model.Attribute(flag) is bool value) json[flag] = value;
        if (model.Attribute("edge_irreps") is PyObject edgeIrreps) json["edge_irreps"] = IrrepsText(edgeIrreps);
        if (model.Child("joint_embedding") is not null) json["embedding_specs"] = "joint embedding";
        if (radial.Child("distance_transform") is { } transform) json["distance_transform"] = transform.ClassName.Replace("Transform", "");
        return json;
    }

    private static TorchModule Contractions(TorchModule product) =>
        product.RequiredChild("symmetric_contractions").RequiredChild("contractions").Children().First().Module;

    private static JsonArray Array(double[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    /// <summary>A number stored as a buffer, a plain attribute or a numpy scalar.</summary>
    private static double Number(TorchModule m, string name) => m.Tensor(name)?.Scalar ?? m.Attribute(name) switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        PyObject { Type.Name: "scalar", Args: [PyObject dtype, byte[] bytes] } => NumpyScalar(dtype, bytes),
        var other => throw new MaceModelException($"{m.ClassName}.{name} is {(other is null ? "missing" : $"a {other.GetType().Name}, not a number")}"),
    };

    private static double NumpyScalar(PyObject dtype, byte[] bytes) => dtype.Args is [string code, ..]
        ? code switch
        {
            "f8" when bytes.Length == 8 => BitConverter.ToDouble(bytes),
            "f4" when bytes.Length == 4 => BitConverter.ToSingle(bytes),
            "i8" when bytes.Length == 8 => BitConverter.ToInt64(bytes),
            _ => throw new MaceModelException($"a numpy scalar of type {code} is not supported"),
        }
        : throw new MaceModelException("a malformed numpy scalar");

    /// <summary>e3nn's Irreps (a tuple of (mul, (l, p)) pairs) as text, e.g. 32x0e+32x1o.</summary>
    private static string IrrepsText(object? irreps)
    {
        static object?[] Items(object? o) => o switch
        {
            PyObject { Args: [object?[] inner] } => inner,
            PyObject p => p.Args.ToArray(),
            object?[] a => a,
            _ => throw new MaceModelException("malformed irreps in the model file"),
        };
        var parts = Items(irreps).Select(item =>
        {
            var mulIr = Items(item);
            if (mulIr is not [long mul, var ir] || Items(ir) is not [long l, long p]) throw new MaceModelException("malformed irreps in the model file");
            return $"{mul}x{l}{(p == 1 ? 'e' : 'o')}";
        });
        return string.Join("+", parts);
    }

    /// <summary>The gate of the non-linear readout: the name of every activation function it applies.</summary>
    private static string Gate(TorchModule readout)
    {
        var names = new HashSet<string>();
        void Scan(object? o, int depth)
        {
            if (depth > 6) return;
            switch (o)
            {
                case PyGlobal g when g.Module.StartsWith("torch", StringComparison.Ordinal): names.Add(g.Name); break;
                case PyObject p: Scan(p.State, depth + 1); foreach (var a in p.Args) Scan(a, depth + 1); break;
                case PyDict d: foreach (var v in d.Values) Scan(v, depth + 1); break;
                case List<object?> l: foreach (var v in l) Scan(v, depth + 1); break;
                case object?[] a: foreach (var v in a) Scan(v, depth + 1); break;
            }
        }
        if (readout.Child("non_linearity") is { } act) Scan(act.Attribute("acts"), 0);
        names.Remove("Tensor");
        return names.Count == 0 ? "silu" : string.Join("+", names.Order());
    }
}
