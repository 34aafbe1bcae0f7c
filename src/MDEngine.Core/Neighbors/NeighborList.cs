using MDEngine.Geometry;

namespace MDEngine.Neighbors;

/// <summary>
/// Pairs of atoms within a cutoff, in flat parallel arrays. Pair p goes from atom <see cref="I"/>[p] to the periodic
/// image of atom <see cref="J"/>[p] shifted by the integer lattice translation (<see cref="Shifts"/>[3p..3p+2]):
/// <c>Vectors[p] = r_J + shift·cell − r_I</c>, <c>Distances[p] = |Vectors[p]|</c>.
/// Pairs are grouped by I: those of atom i are <c>[Offsets[i], Offsets[i+1])</c>.
/// A full list holds both i→j and j→i (and an atom's own images); a half list holds each pair once.
/// When built with a skin, pairs up to cutoff + skin are kept and consumers skip those beyond their cutoff.
/// </summary>
public sealed class NeighborList
{
    public int AtomCount { get; }
    public bool IsFull { get; }
    /// <summary>The radius the list was built with (cutoff + skin).</summary>
    public double Radius { get; }
    public int Count { get; private set; }
    public int[] I { get; private set; }
    public int[] J { get; private set; }
    public int[] Shifts { get; private set; }
    public Vec3[] Vectors { get; private set; }
    public double[] Distances { get; private set; }
    public int[] Offsets { get; }

    public NeighborList(int atomCount, bool isFull, double radius, int count, int[] i, int[] j, int[] shifts, Vec3[] vectors, double[] distances, int[] offsets)
    {
        AtomCount = atomCount; IsFull = isFull; Radius = radius; Count = count;
        I = i; J = j; Shifts = shifts; Vectors = vectors; Distances = distances; Offsets = offsets;
    }

    public (int X, int Y, int Z) Shift(int pair) => (Shifts[3 * pair], Shifts[3 * pair + 1], Shifts[3 * pair + 2]);

    /// <summary>Recomputes vectors and distances for new positions (and cell) keeping the same pairs: what a Verlet
    /// buffer does between rebuilds.</summary>
    public void UpdateGeometry(ReadOnlySpan<Vec3> positions, Mat3 cell)
    {
        if (positions.Length != AtomCount) throw new ArgumentException($"{positions.Length} positions for a list of {AtomCount} atoms.");
        if (Count < 1 << 16) { UpdateGeometry(positions, cell, 0, Count); return; }
        var copy = positions.ToArray();
        int chunks = 4 * Environment.ProcessorCount;
        Parallel.For(0, chunks, c => UpdateGeometry(copy, cell, (int)((long)Count * c / chunks), (int)((long)Count * (c + 1) / chunks)));
    }

    private void UpdateGeometry(ReadOnlySpan<Vec3> positions, Mat3 cell, int start, int end)
    {
        Vec3 a = cell.Row(0), b = cell.Row(1), c = cell.Row(2);
        var shifts = Shifts;
        for (int p = start; p < end; p++)
        {
            var v = positions[J[p]] + (shifts[3 * p] * a + shifts[3 * p + 1] * b + shifts[3 * p + 2] * c) - positions[I[p]];
            Vectors[p] = v;
            Distances[p] = v.Length;
        }
    }

    /// <summary>Sorts pairs by i, then j, then shift: a deterministic order independent of how the list was built.</summary>
    public void SortDeterministically()
    {
        var order = new int[Count];
        for (int p = 0; p < Count; p++) order[p] = p;
        var byNeighbor = new PairOrder(J, Shifts);
        var i = I;
        order.AsSpan().Sort((a, b) => i[a] != i[b] ? i[a].CompareTo(i[b]) : byNeighbor.Compare(a, b));
        I = Permute(I, order, 1); J = Permute(J, order, 1); Shifts = Permute(Shifts, order, 3);
        Vectors = Permute(Vectors, order, 1); Distances = Permute(Distances, order, 1);
    }

    private static T[] Permute<T>(T[] source, int[] order, int stride)
    {
        var result = new T[source.Length];
        for (int p = 0; p < order.Length; p++)
            for (int k = 0; k < stride; k++) result[stride * p + k] = source[stride * order[p] + k];
        return result;
    }
}
