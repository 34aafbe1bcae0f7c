using System.Runtime.CompilerServices;
using MDEngine.Geometry;

namespace MDEngine.Neighbors;

/// <summary>
/// Pairs of atoms within a cutoff, in flat parallel arrays. Pair p goes from atom <see cref="I"/>[p] to the periodic
/// image of atom <see cref="J"/>[p] shifted by the integer lattice translation (<see cref="Shifts"/>[3p..3p+2]):
/// <c>Vectors[p] = r_J + shift·cell − r_I</c>, <c>Distances[p] = |Vectors[p]|</c>.
/// Pairs are grouped by I: those of atom i are <c>[Offsets[i], Offsets[i+1])</c>.
/// A full list holds both i→j and j→i (and an atom's own images); a half list holds each pair once.
/// When built with a skin, pairs up to cutoff + skin are kept and consumers skip those beyond their cutoff.
/// <para>The pair arrays may be longer than <see cref="Count"/> (a Verlet list rebuilds into the same, grow-only
/// arrays): always loop to <see cref="Count"/> (or use <see cref="Offsets"/>), never to an array's length.</para>
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
    /// <summary>Pair vectors at the current geometry (refreshed on first access after a
    /// <see cref="DeferGeometryUpdate"/>).</summary>
    public Vec3[] Vectors { get { RefreshIfStale(); return _vectors; } private set => _vectors = value; }
    /// <summary>Pair distances at the current geometry (refreshed on first access after a
    /// <see cref="DeferGeometryUpdate"/>).</summary>
    public double[] Distances { get { RefreshIfStale(); return _distances; } private set => _distances = value; }
    public int[] Offsets { get; private set; }

    public NeighborList(int atomCount, bool isFull, double radius, int count, int[] i, int[] j, int[] shifts, Vec3[] vectors, double[] distances, int[] offsets)
    {
        AtomCount = atomCount; IsFull = isFull; Radius = radius; Count = count;
        I = i; J = j; Shifts = shifts; Vectors = vectors; Distances = distances; Offsets = offsets;
    }

    private Vec3[] _vectors = [];
    private double[] _distances = [];
    // Deferred geometry: positions and cell recorded by DeferGeometryUpdate, applied when Vectors or Distances are read.
    private Vec3[] _pendingPositions = [];
    private Mat3 _pendingCell;
    private volatile bool _stale;
    private readonly object _refreshLock = new();
    // Cartesian shift vectors S·h per pair, cached for one cell.
    private Vec3[]? _shiftVectors;
    private Mat3 _shiftVectorsCell;
    private bool _shiftVectorsValid;
    // The same shifts as indices into a table of the distinct ones (codes per build, table per cell).
    private int[] _shiftCodes = [];
    private bool _shiftCodesValid;
    private (int X, int Y, int Z) _shiftCodeOrigin, _shiftCodeBox;
    private Vec3[] _shiftTable = [];
    private Mat3 _shiftTableCell;
    private bool _shiftTableValid;
    /// <summary>The spatial binning of the last in-place rebuild, kept for the next one.</summary>
    internal CellBinning? Binning;
    // Each pair's reverse (per build).
    private int[] _reversePairs = [];
    private bool _reversePairsValid;

    /// <summary>
    /// Prepares this list to be rebuilt in place for <paramref name="count"/> pairs: the pair arrays are kept when
    /// long enough and grown (with headroom) otherwise, never zeroed (the builder writes every pair below
    /// <paramref name="count"/>), and the cached geometry is dropped. A Verlet list rebuilds this way, so that a
    /// rebuild in steady state allocates nothing.
    /// </summary>
    internal void PrepareRebuild(int count, bool withGeometry)
    {
        if (I.Length < count)
        {
            int capacity = (int)Math.Min(Array.MaxLength / 3, count + (long)count / 8);
            I = GC.AllocateUninitializedArray<int>(capacity); J = GC.AllocateUninitializedArray<int>(capacity);
            Shifts = GC.AllocateUninitializedArray<int>(3 * capacity);
        }
        if (withGeometry && _vectors.Length < count)
        {
            _vectors = GC.AllocateUninitializedArray<Vec3>(I.Length); _distances = GC.AllocateUninitializedArray<double>(I.Length);
        }
        Count = count;
        _shiftVectorsValid = false;
        _shiftCodesValid = false;
        _reversePairsValid = false;
        _stale = false;
    }

    /// <summary>Whether this list can be rebuilt in place for a structure of <paramref name="atomCount"/> atoms.</summary>
    internal bool CanRebuildFor(int atomCount, bool full, double radius) =>
        AtomCount == atomCount && IsFull == full && Radius.Equals(radius) && Offsets.Length == atomCount + 1;

    public (int X, int Y, int Z) Shift(int pair) => (Shifts[3 * pair], Shifts[3 * pair + 1], Shifts[3 * pair + 2]);

    /// <summary>Recomputes vectors and distances for new positions (and cell) keeping the same pairs: what a Verlet
    /// buffer does between rebuilds.</summary>
    public void UpdateGeometry(ReadOnlySpan<Vec3> positions, Mat3 cell)
    {
        if (positions.Length != AtomCount) throw new ArgumentException($"{positions.Length} positions for a list of {AtomCount} atoms.");
        _stale = false;
        UpdateGeometryNow(positions, cell);
    }

    /// <summary>
    /// Records new positions (copied) and cell, keeping the same pairs, without touching the pair vectors yet: they are
    /// recomputed, exactly as <see cref="UpdateGeometry"/> would, the first time <see cref="Vectors"/> or
    /// <see cref="Distances"/> is read. Pair kernels that compute d = r_J + S·h − r_I themselves from the positions and
    /// <see cref="CartesianShifts"/> (and test r² against their cutoff before any square root) never pay for the refresh.
    /// </summary>
    public void DeferGeometryUpdate(ReadOnlySpan<Vec3> positions, Mat3 cell)
    {
        if (positions.Length != AtomCount) throw new ArgumentException($"{positions.Length} positions for a list of {AtomCount} atoms.");
        lock (_refreshLock)
        {
            if (_pendingPositions.Length != positions.Length) _pendingPositions = new Vec3[positions.Length];
            positions.CopyTo(_pendingPositions);
            _pendingCell = cell;
            _stale = true;
        }
    }

    private void RefreshIfStale()
    {
        if (!_stale) return;
        lock (_refreshLock)
        {
            if (!_stale) return;
            UpdateGeometryNow(_pendingPositions, _pendingCell);
            _stale = false;
        }
    }

    /// <summary>
    /// The Cartesian lattice translation S·h of every pair for <paramref name="cell"/>, so that the pair vector is
    /// <c>positions[J[p]] + CartesianShifts(cell)[p] − positions[I[p]]</c> (bit-identical to <see cref="Vectors"/> after
    /// <see cref="UpdateGeometry"/>). Cached: recomputed only when the cell changes (under a barostat, every step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vec3[] CartesianShifts(Mat3 cell)
    {
        lock (_refreshLock)
        {
            if (_shiftVectors is not null && _shiftVectorsValid && _shiftVectorsCell.Equals(cell)) return _shiftVectors;
            // Reused in place when the cell changes (a barostat changes it every step) or the list is rebuilt in place:
            // no allocation per step.
            var sv = _shiftVectors is { } old && old.Length >= Count ? old : GC.AllocateUninitializedArray<Vec3>(I.Length);
            Vec3 a = cell.Row(0), b = cell.Row(1), c = cell.Row(2);
            var shifts = Shifts;
            for (int p = 0; p < Count; p++)
            {
                int sx = shifts[3 * p], sy = shifts[3 * p + 1], sz = shifts[3 * p + 2];
                sv[p] = (sx | sy | sz) == 0 ? Vec3.Zero : sx * a + sy * b + sz * c;
            }
            _shiftVectorsCell = cell; _shiftVectors = sv; _shiftVectorsValid = true;
            return sv;
        }
    }

    /// <summary>
    /// Each pair's lattice translation as an index into a table of Cartesian translations S·h for
    /// <paramref name="cell"/>: <c>positions[J[p]] + Table[Codes[p]] − positions[I[p]]</c> is the pair vector,
    /// bit-identical to <see cref="CartesianShifts"/>. A list has few distinct shifts (27 when the cell is wider than
    /// twice the radius), so a pair kernel reads 4 bytes per pair instead of a 24-byte vector. Code 0 is the zero
    /// shift (the box of shifts always contains it), which kernels may test for to skip the lookup. The codes are
    /// computed once per build, the table (which may hold unused shifts) once per cell.
    /// </summary>
    public (int[] Codes, Vec3[] Table) CompactShifts(Mat3 cell)
    {
        lock (_refreshLock)
        {
            if (!_shiftCodesValid) { EncodeShifts(); _shiftTableValid = false; }
            if (!_shiftTableValid || !_shiftTableCell.Equals(cell))
            {
                var (ox, oy, oz) = _shiftCodeOrigin;
                var (nx, ny, nz) = _shiftCodeBox;
                if (_shiftTable.Length != nx * ny * nz) _shiftTable = new Vec3[nx * ny * nz];
                Vec3 a = cell.Row(0), b = cell.Row(1), c = cell.Row(2);
                for (int x = 0; x < nx; x++) for (int y = 0; y < ny; y++) for (int z = 0; z < nz; z++)
                        {
                            int sx = ox + x, sy = oy + y, sz = oz + z;
                            // The same expression as CartesianShifts, so that both give the same bits.
                            _shiftTable[SwapWithZero((x * ny + y) * nz + z)] = (sx | sy | sz) == 0 ? Vec3.Zero : sx * a + sy * b + sz * c;
                        }
                _shiftTableCell = cell; _shiftTableValid = true;
            }
            return (_shiftCodes, _shiftTable);
        }
    }

    /// <summary>
    /// For every pair p = i → j + S, the index of its reverse j → i − S, or −1 where the list lacks it (a half list,
    /// or a pair that only one direction kept). Found once per build and kept: a message-passing model pairs every
    /// edge with its reverse at each evaluation, and a Verlet list serves many evaluations between rebuilds.
    /// The reverse of i → j + S is among the pairs of atom j, some tens of them: a scan of that group, not a hash of
    /// every pair's five-part key.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int[] ReversePairs()
    {
        lock (_refreshLock)
        {
            if (_reversePairsValid) return _reversePairs;
            var reverse = _reversePairs.Length >= Count ? _reversePairs : new int[I.Length];
            int[] i = I, j = J, shifts = Shifts, offsets = Offsets;
            for (int p = 0; p < Count; p++)
            {
                int a = i[p], b = j[p], sx = -shifts[3 * p], sy = -shifts[3 * p + 1], sz = -shifts[3 * p + 2];
                int found = -1;
                for (int q = offsets[b], end = offsets[b + 1]; q < end; q++)
                    if (j[q] == a && shifts[3 * q] == sx && shifts[3 * q + 1] == sy && shifts[3 * q + 2] == sz) { found = q; break; }
                reverse[p] = found;
            }
            _reversePairs = reverse; _reversePairsValid = true;
            return reverse;
        }
    }

    /// <summary>The zero shift's index in the box, swapped with index 0 so that code 0 is always the zero shift.</summary>
    private int _zeroShiftBoxIndex;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SwapWithZero(int boxIndex) => boxIndex == _zeroShiftBoxIndex ? 0 : boxIndex == 0 ? _zeroShiftBoxIndex : boxIndex;

    /// <summary>Codes of the shifts in the smallest box that holds them, ((sx − x₀)·ny + sy − y₀)·nz + sz − z₀, with
    /// the zero shift's code and code 0 swapped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EncodeShifts()
    {
        var shifts = Shifts;
        int minX = 0, minY = 0, minZ = 0, maxX = 0, maxY = 0, maxZ = 0;
        for (int p = 0; p < Count; p++)
        {
            int x = shifts[3 * p], y = shifts[3 * p + 1], z = shifts[3 * p + 2];
            minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
            minZ = Math.Min(minZ, z); maxZ = Math.Max(maxZ, z);
        }
        int ny = maxY - minY + 1, nz = maxZ - minZ + 1;
        if (_shiftCodes.Length < Count) _shiftCodes = GC.AllocateUninitializedArray<int>(I.Length);
        var codes = _shiftCodes;
        _shiftCodeOrigin = (minX, minY, minZ);
        _shiftCodeBox = (maxX - minX + 1, ny, nz);
        _zeroShiftBoxIndex = (-minX * ny - minY) * nz - minZ;
        for (int p = 0; p < Count; p++)
            codes[p] = SwapWithZero(((shifts[3 * p] - minX) * ny + shifts[3 * p + 1] - minY) * nz + shifts[3 * p + 2] - minZ);
        _shiftCodesValid = true;
    }

    private void UpdateGeometryNow(ReadOnlySpan<Vec3> positions, Mat3 cell)
    {
        // A list built without geometry (for a Verlet list) gets its arrays on first use.
        if (_vectors.Length < Count) { _vectors = new Vec3[I.Length]; _distances = new double[I.Length]; }
        if (Count < 1 << 16) { UpdateGeometry(positions, cell, 0, Count); return; }
        var copy = positions.ToArray();
        int chunks = 4 * Environment.ProcessorCount;
        Parallel.For(0, chunks, c => UpdateGeometry(copy, cell, (int)((long)Count * c / chunks), (int)((long)Count * (c + 1) / chunks)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateGeometry(ReadOnlySpan<Vec3> positions, Mat3 cell, int start, int end)
    {
        Vec3 a = cell.Row(0), b = cell.Row(1), c = cell.Row(2);
        var shifts = Shifts;
        for (int p = start; p < end; p++)
        {
            var v = positions[J[p]] + (shifts[3 * p] * a + shifts[3 * p + 1] * b + shifts[3 * p + 2] * c) - positions[I[p]];
            _vectors[p] = v;
            _distances[p] = v.Length;
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
        if (_vectors.Length >= Count) { Vectors = Permute(Vectors, order, 1); Distances = Permute(Distances, order, 1); }
        _shiftVectors = null;
        _shiftCodesValid = false;
        _reversePairsValid = false;
    }

    private static T[] Permute<T>(T[] source, int[] order, int stride)
    {
        var result = new T[source.Length];
        for (int p = 0; p < order.Length; p++)
            for (int k = 0; k < stride; k++) result[stride * p + k] = source[stride * order[p] + k];
        return result;
    }
}
