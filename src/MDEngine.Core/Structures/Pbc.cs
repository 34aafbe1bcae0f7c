namespace MDEngine.Structures;

/// <summary>Periodicity along each of the three lattice vectors.</summary>
public readonly record struct Pbc(bool A, bool B, bool C)
{
    public static readonly Pbc All = new(true, true, true);
    public static readonly Pbc None = new(false, false, false);

    public bool this[int axis] => axis switch { 0 => A, 1 => B, 2 => C, _ => throw new ArgumentOutOfRangeException(nameof(axis)) };
    public bool Any => A || B || C;
    public bool AllPeriodic => A && B && C;
    public int Count => (A ? 1 : 0) + (B ? 1 : 0) + (C ? 1 : 0);
    public override string ToString() => $"{(A ? 'T' : 'F')} {(B ? 'T' : 'F')} {(C ? 'T' : 'F')}";
}
