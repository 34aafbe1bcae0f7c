namespace MDEngine.Structures;

/// <summary>The value type of a per-atom array, as extended XYZ names it: R real, I integer, S string, L logical.</summary>
public enum AtomArrayType { Real, Integer, String, Logical }

/// <summary>A free per-atom array with one or more columns, stored row-major (atom i, column k at i·Columns + k).
/// <see cref="Data"/> is a <c>double[]</c>, <c>int[]</c>, <c>string[]</c> or <c>bool[]</c> matching <see cref="Type"/>.</summary>
public sealed class AtomArray
{
    public AtomArrayType Type { get; }
    public int Columns { get; }
    public Array Data { get; }

    public AtomArray(AtomArrayType type, int columns, Array data)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns));
        var expected = type switch
        {
            AtomArrayType.Real => typeof(double[]), AtomArrayType.Integer => typeof(int[]),
            AtomArrayType.String => typeof(string[]), _ => typeof(bool[]),
        };
        if (data.GetType() != expected) throw new ArgumentException($"{type} array needs {expected.Name}, got {data.GetType().Name}.");
        if (data.Length % columns != 0) throw new ArgumentException("Data length is not a multiple of the column count.");
        Type = type; Columns = columns; Data = data;
    }

    public int Rows => Data.Length / Columns;

    public static AtomArray Real(double[] data, int columns = 1) => new(AtomArrayType.Real, columns, data);
    public static AtomArray Integer(int[] data, int columns = 1) => new(AtomArrayType.Integer, columns, data);
    public static AtomArray Strings(string[] data) => new(AtomArrayType.String, 1, data);
    public static AtomArray Logical(bool[] data, int columns = 1) => new(AtomArrayType.Logical, columns, data);

    public double[] AsReal => Data as double[] ?? throw new InvalidOperationException("Not a real-valued array.");

    /// <summary>The rows selected by <paramref name="atoms"/>, in that order.</summary>
    public AtomArray Select(IReadOnlyList<int> atoms)
    {
        var result = Array.CreateInstance(Data.GetType().GetElementType()!, atoms.Count * Columns);
        for (int r = 0; r < atoms.Count; r++) Array.Copy(Data, atoms[r] * Columns, result, r * Columns, Columns);
        return new AtomArray(Type, Columns, result);
    }

    public AtomArray Clone() => new(Type, Columns, (Array)Data.Clone());
}
