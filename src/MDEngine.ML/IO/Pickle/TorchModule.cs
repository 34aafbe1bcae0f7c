namespace MDEngine.ML.IO.Pickle;

/// <summary>
/// A pickled <c>torch.nn.Module</c> read as data: its class, its plain attributes, its parameters and buffers, and its
/// child modules, with <see cref="StateDict"/> naming every tensor as <c>module.state_dict()</c> does.
/// </summary>
public sealed class TorchModule
{
    private readonly PyObject _object;

    public TorchModule(PyObject obj)
    {
        _object = obj;
        if (obj.Dict.Get("_modules") is not PyDict) throw new InvalidDataException($"{obj.Type.FullName} is not a torch module");
    }

    /// <summary>The module's class, e.g. <c>mace.modules.blocks.RealAgnosticInteractionBlock</c>.</summary>
    public PyGlobal Type => _object.Type;
    public string ClassName => _object.Type.Name;

    /// <summary>A plain attribute (not a parameter, buffer or child), or null when absent.</summary>
    public object? Attribute(string name) => _object.Dict.Get(name);
    public bool Has(string name) => _object.Dict.ContainsKey(name) || Child(name) is not null || Tensor(name) is not null;

    /// <summary>A direct child module, or null.</summary>
    public TorchModule? Child(string name) =>
        _object.Dict.Get("_modules") is PyDict modules && modules.Get(name) is PyObject child ? new TorchModule(child) : null;

    public TorchModule RequiredChild(string name) =>
        Child(name) ?? throw new InvalidDataException($"{ClassName} has no submodule '{name}'");

    /// <summary>The children in order (a ModuleList's are named 0, 1, …).</summary>
    public IEnumerable<(string Name, TorchModule Module)> Children() =>
        _object.Dict.Get("_modules") is PyDict modules
            ? modules.Where(kv => kv.Value is PyObject).Select(kv => (kv.Key.ToString()!, new TorchModule((PyObject)kv.Value!)))
            : [];

    /// <summary>A parameter or buffer of this module (not of its children), or null.</summary>
    public TorchTensorData? Tensor(string name) =>
        (_object.Dict.Get("_parameters") as PyDict)?.Get(name) as TorchTensorData
        ?? (_object.Dict.Get("_buffers") as PyDict)?.Get(name) as TorchTensorData;

    /// <summary>This module's own parameters (not its buffers or its children's), in order: a ParameterList's are 0, 1, ….</summary>
    public IEnumerable<(string Name, TorchTensorData Tensor)> Parameters() =>
        _object.Dict.Get("_parameters") is PyDict parameters
            ? parameters.Where(kv => kv.Value is TorchTensorData).Select(kv => (kv.Key.ToString()!, (TorchTensorData)kv.Value!))
            : [];

    public TorchTensorData RequiredTensor(string name) =>
        Tensor(name) ?? throw new InvalidDataException($"{ClassName} has no parameter or buffer '{name}'");

    /// <summary>This module and every module below it, each with its dotted path prefix ("" for this one, "a.b." below).</summary>
    public IEnumerable<(string Prefix, TorchModule Module)> Walk(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in Children())
            foreach (var item in child.Walk($"{prefix}{name}."))
                yield return item;
    }

    /// <summary>Every parameter and persistent buffer under dotted names, as <c>state_dict()</c>.</summary>
    public Dictionary<string, TorchTensorData> StateDict()
    {
        var result = new Dictionary<string, TorchTensorData>(StringComparer.Ordinal);
        Collect(this, "", result);
        return result;
    }

    /// <summary>What a TorchScript archive's pickle may name: its own scripted classes and ordered dicts.</summary>
    private static bool IsScriptedClass(PyGlobal g) =>
        g.Module.StartsWith("__torch__.", StringComparison.Ordinal) || g.FullName == "collections.OrderedDict";

    private static void Collect(TorchModule m, string prefix, Dictionary<string, TorchTensorData> into)
    {
        var nonPersistent = m.Attribute("_non_persistent_buffers_set") as List<object?> ?? [];
        foreach (var key in new[] { "_parameters", "_buffers" })
            if (m._object.Dict.Get(key) is PyDict tensors)
                foreach (var (name, value) in tensors)
                    if (value is TorchTensorData t && !(key == "_buffers" && nonPersistent.Contains(name)))
                        into[prefix + name] = t;
        foreach (var (name, child) in m.Children()) Collect(child, $"{prefix}{name}.", into);
        // e3nn's code-generated submodules (the compiled tensor products and linears) pickle as TorchScript archives,
        // one per name under __codegen__; their constants (the Wigner 3j blocks) are attributes of the scripted module.
        if (m.Attribute("__codegen__") is PyDict codegen)
            foreach (var (name, value) in codegen)
                if (value is byte[] archive && TorchArchive.Load(archive, IsScriptedClass) is PyObject scripted)
                    foreach (var (attribute, tensor) in scripted.Dict)
                        if (tensor is TorchTensorData t) into[$"{prefix}{name}.{attribute}"] = t;
    }
}
