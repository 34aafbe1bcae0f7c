namespace MDEngine.ML.IO.Pickle;

/// <summary>A class or function named by a pickle (<c>module.name</c>); never imported or run, only recognised.</summary>
public sealed record PyGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";
    public override string ToString() => FullName;
}

/// <summary>
/// An object a pickle builds by calling a class or function it names (<c>REDUCE</c>/<c>NEWOBJ</c>) and then, for
/// class instances, filling in its state (<c>BUILD</c>): the callable, its arguments and the state, kept as data.
/// A torch module's state is its <c>__dict__</c> (<c>_parameters</c>, <c>_buffers</c>, <c>_modules</c> and the
/// plain attributes).
/// </summary>
public sealed class PyObject(PyGlobal type, IReadOnlyList<object?> args)
{
    public PyGlobal Type { get; } = type;
    public IReadOnlyList<object?> Args { get; } = args;
    public object? State { get; set; }

    /// <summary>The state as an attribute dictionary (empty when the object has none; for a (dict, slots) pair, the dict).</summary>
    public PyDict Dict => State as PyDict ?? (State is object?[] { Length: 2 } pair && pair[0] is PyDict d ? d : new PyDict());

    public override string ToString() => $"{Type.FullName}({Args.Count} args)";
}

/// <summary>A Python dict: insertion-ordered, keys compared by value (strings, integers, booleans, None).</summary>
public sealed class PyDict : OrderedDictionary<object, object?>
{
    public PyDict() : base(KeyComparer.Instance) { }

    /// <summary>The value under a string key, or null when absent.</summary>
    public object? Get(string key) => TryGetValue(key, out var v) ? v : null;

    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();
        public new bool Equals(object? a, object? b) => a is long x && b is long y ? x == y : object.Equals(a, b);
        public int GetHashCode(object o) => o.GetHashCode();
    }
}

/// <summary>None as a dictionary key (a dictionary key cannot be null).</summary>
public sealed class PyNone
{
    public static readonly PyNone Instance = new();
    private PyNone() { }
}
