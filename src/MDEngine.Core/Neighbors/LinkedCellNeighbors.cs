using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Neighbors;

/// <summary>
/// Linked-cell neighbor search (Hockney &amp; Eastwood; Allen &amp; Tildesley §5.3) for any cell and periodicity in
/// O(N) time and memory: atoms are wrapped and binned in fractional coordinates (<see cref="CellBinning"/>), and each
/// atom looks only into the bins within reach, through as many periodic images as the cutoff spans.
/// <para>Atoms are split into contiguous index ranges searched in parallel, each into its own pooled buffer; the
/// buffers are then concatenated, so pairs come out grouped by I in increasing order whatever the thread count.
/// The half list keeps the pair orientation of <see cref="BruteForceNeighbors.IsFirstOfPair"/>.</para>
/// </summary>
public static class LinkedCellNeighbors
{
    /// <summary>Whether the distance tests run four at a time (a switch for tests of the scalar path).</summary>
    internal static bool UseVectorizedScan = Vector256.IsHardwareAccelerated;

    /// <summary>Below this many atoms the search runs on the calling thread.</summary>
    private const int SerialBelow = 2048;
    /// <summary>Atoms per parallel work item at least.</summary>
    private const int MinChunk = 512;

    /// <param name="threads">Worker threads; 0 or less means all cores.</param>
    /// <param name="divisions">Bins per cutoff length: 1 gives bins a cutoff wide and a 27-bin stencil; 2 gives
    /// half-cutoff bins and a 125-bin stencil that covers a smaller volume (fewer distance tests, but shorter runs
    /// for the vectorized test; 1 measured faster on dense solids).</param>
    public static NeighborList Build(Structure s, double cutoff, bool full = true, bool sorted = false, int threads = 0, int divisions = 1) =>
        Build(s, cutoff, full, sorted, threads, divisions, withGeometry: true);

    /// <param name="withGeometry">False leaves the pair vectors and distances to be computed on first read
    /// (<see cref="NeighborList.DeferGeometryUpdate"/>): what a Verlet list wants, whose consumers mostly compute
    /// them from the positions.</param>
    /// <param name="reuse">A list of an earlier build (same atom count, kind and radius) to rebuild in place: its
    /// arrays are reused (grown when too short), so that a Verlet list's rebuilds allocate nothing in steady state.</param>
    internal static NeighborList Build(Structure s, double cutoff, bool full, bool sorted, int threads, int divisions, bool withGeometry,
        NeighborList? reuse = null)
    {
        if (divisions < 1) throw new ArgumentOutOfRangeException(nameof(divisions));
        int n = s.Count;
        if (reuse is not null && !reuse.CanRebuildFor(n, full, cutoff)) reuse = null;
        // A rebuild in place also redoes the binning in the previous build's arrays.
        var grid = CellBinning.Create(s, cutoff, divisions, reuse?.Binning);
        int workers = threads > 0 ? threads : Environment.ProcessorCount;
        int chunks = n < SerialBelow || workers == 1 ? 1 : Math.Max(1, Math.Min(n / MinChunk, 8 * workers));
        // Every offsets[i + 1] is written by the search and offsets[0] stays 0: a reused array needs no clearing.
        var offsets = reuse?.Offsets ?? new int[n + 1];
        var buffers = new PairBuffer[chunks];
        double cutoffSquared = cutoff * cutoff;

        if (chunks == 1)
        {
            buffers[0] = PairBuffer.Rent();
            Search(grid, 0, n, cutoffSquared, full, buffers[0], offsets);
        }
        else
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers }, c =>
            {
                var buffer = PairBuffer.Rent();
                buffers[c] = buffer;
                Search(grid, ChunkStart(n, chunks, c), ChunkStart(n, chunks, c + 1), cutoffSquared, full, buffer, offsets);
            });
        }

        // offsets[i + 1] holds atom i's count: a prefix sum turns counts into offsets.
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += offsets[i + 1];
            if (sum > Array.MaxLength / 3)
                throw new ArgumentException(FormattableString.Invariant($"The cutoff {cutoff} gives more than {Array.MaxLength / 3} neighbor pairs."));
            offsets[i + 1] = (int)sum;
        }
        int total = offsets[n];
        // Every element is written by Gather: no need to zero the arrays first.
        NeighborList list;
        if (reuse is not null) { reuse.PrepareRebuild(total, withGeometry); list = reuse; }
        else list = new NeighborList(n, full, cutoff, total, GC.AllocateUninitializedArray<int>(total), GC.AllocateUninitializedArray<int>(total),
            GC.AllocateUninitializedArray<int>(3 * total), withGeometry ? GC.AllocateUninitializedArray<Vec3>(total) : [],
            withGeometry ? GC.AllocateUninitializedArray<double>(total) : [], offsets);

        if (chunks == 1) Gather(grid, list, buffers[0], 0, n, sorted, withGeometry);
        else Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers },
            c => Gather(grid, list, buffers[c], ChunkStart(n, chunks, c), ChunkStart(n, chunks, c + 1), sorted, withGeometry));
        foreach (var b in buffers) PairBuffer.Return(b);
        if (!withGeometry) list.Binning = grid;
        if (!withGeometry) list.DeferGeometryUpdate(s.Positions, s.Cell.Matrix);
        return list;
    }

    private static int ChunkStart(int n, int chunks, int c) => (int)((long)n * c / chunks);

    /// <summary>Finds the pairs of atoms [start, end) into <paramref name="buffer"/>, in atom order, and writes each
    /// atom's pair count to counts[i + 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Search(CellBinning g, int start, int end, double cutoffSquared, bool full, PairBuffer buffer, int[] counts)
    {
        var cell = g.Cell;
        Vec3 a = cell.Row(0), b = cell.Row(1), c = cell.Row(2);
        int na = g.NA, nb = g.NB, nc = g.NC, ra = g.ReachA, rb = g.ReachB, rc = g.ReachC;
        bool pa = g.Pbc.A, pb = g.Pbc.B, pc = g.Pbc.C;
        var sorted = g.SortedPositions;
        var order = g.Order;
        var binStart = g.BinStart;

        for (int i = start; i < end; i++)
        {
            int before = buffer.Count;
            var pi = g.WrappedPositions[i];
            int ba = g.AtomBin[3 * i], bb = g.AtomBin[3 * i + 1], bc = g.AtomBin[3 * i + 2];

            for (int z = bc - rc; z <= bc + rc; z++)
            {
                int sz = 0, zc = z;
                if (pc) { sz = FloorDiv(z, nc); zc = z - sz * nc; }
                else if (z < 0 || z >= nc) continue;
                for (int y = bb - rb; y <= bb + rb; y++)
                {
                    int sy = 0, yc = y;
                    if (pb) { sy = FloorDiv(y, nb); yc = y - sy * nb; }
                    else if (y < 0 || y >= nb) continue;
                    var rowShift = sy * b + sz * c;
                    int rowBase = na * (yc + nb * zc);
                    int x = ba - ra, xLast = ba + ra;
                    if (!pa) { x = Math.Max(x, 0); xLast = Math.Min(xLast, na - 1); }
                    while (x <= xLast)
                    {
                        // A run of bins along a with the same image: their atoms are contiguous in bin order.
                        int sx = 0, xc = x, runLast = xLast;
                        if (pa) { sx = FloorDiv(x, na); xc = x - sx * na; runLast = Math.Min(xLast, (sx + 1) * na - 1); }
                        int kStart = binStart[rowBase + xc], kEnd = binStart[rowBase + xc + (runLast - x) + 1];
                        x = runLast + 1;
                        if (kStart == kEnd) continue;
                        bool selfImage = full ? (sx | sy | sz) != 0 : BruteForceNeighbors.IsFirstOfPair(i, i, sx, sy, sz);
                        var toImage = ImageVector(rowShift, sx, a, pi);
                        int image = PairBuffer.PackImage(sx, sy, sz);
                        if (UseVectorizedScan)
                            ScanVectorized(g, kStart, kEnd, toImage, i, full, selfImage, image, cutoffSquared, buffer);
                        else
                            Scan(sorted, order, kStart, kEnd, toImage, i, full, selfImage, image, cutoffSquared, buffer);
                    }
                }
            }
            counts[i + 1] = buffer.Count - before;
        }
    }

    /// <summary>S'·cell − r_i, computed the same way by the search and by <see cref="Gather"/> so that both see the
    /// same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vec3 ImageVector(Vec3 rowShift, int sx, Vec3 a, Vec3 pi) => rowShift + sx * a - pi;

    /// <summary>Tests the atoms in bin-order slots [kStart, kEnd) against atom i. Every candidate is written and the
    /// count advanced only for a pair: no unpredictable branch in the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scan(Vec3[] sorted, int[] order, int kStart, int kEnd, Vec3 toImage, int i, bool full, bool selfImage,
        int image, double cutoffSquared, PairBuffer buffer)
    {
        buffer.Reserve(kEnd - kStart);
        var slots = buffer.Slots;
        var images = buffer.Images;
        int count = buffer.Count;
        if ((uint)kEnd > (uint)sorted.Length || (uint)kEnd > (uint)order.Length || (uint)(count + kEnd - kStart) > (uint)slots.Length || slots.Length != images.Length)
            throw new InvalidOperationException();
        ref var pos = ref MemoryMarshal.GetArrayDataReference(sorted);
        ref int ord = ref MemoryMarshal.GetArrayDataReference(order);
        ref int slot = ref MemoryMarshal.GetArrayDataReference(slots);
        ref int img = ref MemoryMarshal.GetArrayDataReference(images);
        double tx = toImage.X, ty = toImage.Y, tz = toImage.Z;
        for (int k = kStart; k < kEnd; k++)
        {
            int j = Unsafe.Add(ref ord, k);
            ref var p = ref Unsafe.Add(ref pos, k);
            double vx = p.X + tx, vy = p.Y + ty, vz = p.Z + tz;
            double d2 = vx * vx + vy * vy + vz * vz;
            // i→j is listed when j > i; when j < i only in a full list; when j = i for an image allowed by the list kind.
            bool keep = (d2 < cutoffSquared) & ((j > i) | ((j < i) & full) | ((j == i) & selfImage));
            Unsafe.Add(ref slot, count) = k;
            Unsafe.Add(ref img, count) = image;
            count += keep ? 1 : 0;
        }
        buffer.Count = count;
    }

    /// <summary><see cref="Scan"/> four candidates at a time: the distance test and the orientation test give a
    /// 4-bit mask, and the accepted slots are stored left-packed through a permutation table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanVectorized(CellBinning g, int kStart, int kEnd, Vec3 toImage, int i, bool full, bool selfImage,
        int image, double cutoffSquared, PairBuffer buffer)
    {
        buffer.Reserve(kEnd - kStart + 4);
        int count = buffer.Count;
        var xs = g.SortedX; var ys = g.SortedY; var zs = g.SortedZ; var order = g.PaddedOrder;
        // Loads of four reach at most kEnd + 3 < n + Padding; stores at most count + (kEnd − kStart) + 3 < capacity.
        if ((uint)(kEnd + 3) >= (uint)xs.Length || xs.Length != ys.Length || xs.Length != zs.Length || xs.Length != order.Length
            || (uint)(count + kEnd - kStart + 3) >= (uint)buffer.Slots.Length || buffer.Slots.Length != buffer.Images.Length)
            throw new InvalidOperationException("Neighbor search buffers are inconsistent.");
        ref double x0 = ref MemoryMarshal.GetArrayDataReference(xs);
        ref double y0 = ref MemoryMarshal.GetArrayDataReference(ys);
        ref double z0 = ref MemoryMarshal.GetArrayDataReference(zs);
        ref int o0 = ref MemoryMarshal.GetArrayDataReference(order);
        ref int slot0 = ref MemoryMarshal.GetArrayDataReference(buffer.Slots);
        ref int image0 = ref MemoryMarshal.GetArrayDataReference(buffer.Images);
        var tx = Vector256.Create(toImage.X); var ty = Vector256.Create(toImage.Y); var tz = Vector256.Create(toImage.Z);
        var limit = Vector256.Create(cutoffSquared);
        var vi = Vector128.Create(i);
        var imageVector = Vector128.Create(image);
        // Orientation: j > i always; j < i in a full list; j = i when this image of i belongs to the list.
        var below = full ? Vector128<int>.AllBitsSet : Vector128<int>.Zero;
        var same = selfImage ? Vector128<int>.AllBitsSet : Vector128<int>.Zero;
        ref var table = ref MemoryMarshal.GetArrayDataReference(Vectorization.LeftPack.Int32Lanes);
        for (int k = kStart; k < kEnd; k += 4)
        {
            var vx = Vector256.LoadUnsafe(ref x0, (nuint)k) + tx;
            var vy = Vector256.LoadUnsafe(ref y0, (nuint)k) + ty;
            var vz = Vector256.LoadUnsafe(ref z0, (nuint)k) + tz;
            var d2 = vx * vx + vy * vy + vz * vz;
            var j = Vector128.LoadUnsafe(ref o0, (nuint)k);
            var oriented = Vector128.GreaterThan(j, vi) | (Vector128.LessThan(j, vi) & below) | (Vector128.Equals(j, vi) & same);
            uint mask = Vector256.LessThan(d2, limit).ExtractMostSignificantBits() & oriented.ExtractMostSignificantBits();
            if (kEnd - k < 4) mask &= (1u << (kEnd - k)) - 1;
            (Vector128.Create(k) + Unsafe.Add(ref table, (int)mask)).StoreUnsafe(ref slot0, (nuint)count);
            imageVector.StoreUnsafe(ref image0, (nuint)count);
            count += BitOperations.PopCount(mask);
        }
        buffer.Count = count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FloorDiv(int x, int n) => x >= 0 ? x / n : -((-x + n - 1) / n);

    /// <summary>Writes the pairs of atoms [start, end) from a worker's compact buffer to their place in the list:
    /// j, the shift for the original positions S = S' + n_i − n_j (r = r_wrapped + n·cell), the vector and the
    /// distance; each atom's pairs sorted by (j, shift) when asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather(CellBinning g, NeighborList list, PairBuffer buffer, int start, int end, bool sorted, bool geometry)
    {
        var cell = g.Cell;
        Vec3 a = cell.Row(0), b = cell.Row(1), c = cell.Row(2);
        var offsets = list.Offsets;
        var listI = list.I; var listJ = list.J; var shifts = list.Shifts;
        var vectors = geometry ? list.Vectors : []; var distances = geometry ? list.Distances : [];
        var order = g.Order; var positions = g.SortedPositions; var nj = g.SortedImageOffsets;
        int q = 0;
        for (int i = start; i < end; i++)
        {
            var pi = g.WrappedPositions[i];
            int nia = g.ImageOffsets[3 * i], nib = g.ImageOffsets[3 * i + 1], nic = g.ImageOffsets[3 * i + 2];
            int first = offsets[i], last = offsets[i + 1];
            int lastImage = int.MinValue;
            Vec3 toImage = default;
            for (int p = first; p < last; p++, q++)
            {
                int k = buffer.Slots[q], image = buffer.Images[q];
                var (sx, sy, sz) = PairBuffer.UnpackImage(image);
                listI[p] = i;
                listJ[p] = order[k];
                shifts[3 * p] = sx + nia - nj[3 * k];
                shifts[3 * p + 1] = sy + nib - nj[3 * k + 1];
                shifts[3 * p + 2] = sz + nic - nj[3 * k + 2];
                if (!geometry) continue;
                if (image != lastImage) { toImage = ImageVector(sy * b + sz * c, sx, a, pi); lastImage = image; }
                var r = positions[k];
                var v = new Vec3(r.X + toImage.X, r.Y + toImage.Y, r.Z + toImage.Z);
                vectors[p] = v;
                distances[p] = Math.Sqrt(v.X * v.X + v.Y * v.Y + v.Z * v.Z);
            }
            if (sorted && last - first > 1) SortSegment(list, buffer, first, last);
        }
    }

    /// <summary>Sorts the pairs [first, last) of one atom by (j, shift) in place.</summary>
    private static void SortSegment(NeighborList list, PairBuffer scratch, int first, int last)
    {
        int length = last - first;
        scratch.ReserveScratch(length);
        var permutation = scratch.Order.AsSpan(0, length);
        for (int q = 0; q < length; q++) permutation[q] = first + q;
        permutation.Sort(new PairOrder(list.J, list.Shifts));
        var vectors = list.Vectors; var distances = list.Distances;
        bool geometry = vectors.Length >= last;
        for (int q = 0; q < length; q++)
        {
            int src = permutation[q];
            scratch.J[q] = list.J[src];
            scratch.Shifts[3 * q] = list.Shifts[3 * src];
            scratch.Shifts[3 * q + 1] = list.Shifts[3 * src + 1];
            scratch.Shifts[3 * q + 2] = list.Shifts[3 * src + 2];
            if (!geometry) continue;
            scratch.Vectors[q] = vectors[src];
            scratch.Distances[q] = distances[src];
        }
        Array.Copy(scratch.J, 0, list.J, first, length);
        Array.Copy(scratch.Shifts, 0, list.Shifts, 3 * first, 3 * length);
        if (!geometry) return;
        Array.Copy(scratch.Vectors, 0, vectors, first, length);
        Array.Copy(scratch.Distances, 0, distances, first, length);
    }
}

/// <summary>Orders pair indices by neighbor index, then shift (lexicographically).</summary>
internal readonly struct PairOrder(int[] j, int[] shifts) : IComparer<int>
{
    public int Compare(int a, int b)
    {
        int c = j[a].CompareTo(j[b]);
        if (c != 0) return c;
        for (int k = 0; k < 3; k++)
        {
            c = shifts[3 * a + k].CompareTo(shifts[3 * b + k]);
            if (c != 0) return c;
        }
        return 0;
    }
}
