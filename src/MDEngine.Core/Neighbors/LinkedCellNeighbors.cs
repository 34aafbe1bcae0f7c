using System.Runtime.CompilerServices;
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
    /// <summary>Below this many atoms the search runs on the calling thread.</summary>
    private const int SerialBelow = 2048;
    /// <summary>Atoms per parallel work item at least.</summary>
    private const int MinChunk = 512;

    /// <param name="threads">Worker threads; 0 or less means all cores.</param>
    /// <param name="divisions">Bins per cutoff length: 1 gives bins a cutoff wide and a 27-bin stencil; 2 gives
    /// half-cutoff bins and a 125-bin stencil that covers a smaller volume (fewer distance tests).</param>
    public static NeighborList Build(Structure s, double cutoff, bool full = true, bool sorted = false, int threads = 0, int divisions = 2)
    {
        if (divisions < 1) throw new ArgumentOutOfRangeException(nameof(divisions));
        int n = s.Count;
        var grid = CellBinning.Create(s, cutoff, divisions);
        int workers = threads > 0 ? threads : Environment.ProcessorCount;
        int chunks = n < SerialBelow || workers == 1 ? 1 : Math.Max(1, Math.Min(n / MinChunk, 8 * workers));
        var offsets = new int[n + 1];
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
        for (int i = 0; i < n; i++) offsets[i + 1] += offsets[i];
        int total = offsets[n];
        var list = new NeighborList(n, full, cutoff, total, new int[total], new int[total], new int[3 * total],
            new Vec3[total], new double[total], offsets);

        if (chunks == 1) Gather(list, buffers[0], 0, n, sorted);
        else Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers },
            c => Gather(list, buffers[c], ChunkStart(n, chunks, c), ChunkStart(n, chunks, c + 1), sorted));
        foreach (var b in buffers) PairBuffer.Return(b);
        return list;
    }

    private static int ChunkStart(int n, int chunks, int c) => (int)((long)n * c / chunks);

    /// <summary>Finds the pairs of atoms [start, end) into <paramref name="buffer"/>, in atom order, and writes each
    /// atom's pair count to counts[i + 1].</summary>
    private static void Search(CellBinning g, int start, int end, double cutoffSquared, bool full, PairBuffer buffer, int[] counts)
    {
        var cell = g.Cell;
        Vec3 a = cell.Row(0), b = cell.Row(1), c = cell.Row(2);
        int na = g.NA, nb = g.NB, nc = g.NC, ra = g.ReachA, rb = g.ReachB, rc = g.ReachC;
        bool pa = g.Pbc.A, pb = g.Pbc.B, pc = g.Pbc.C;
        var sorted = g.SortedPositions;
        var order = g.Order;
        var images = g.SortedImageOffsets;
        var binStart = g.BinStart;
        bool half = !full;

        for (int i = start; i < end; i++)
        {
            int before = buffer.Count;
            var pi = g.WrappedPositions[i];
            int nia = g.ImageOffsets[3 * i], nib = g.ImageOffsets[3 * i + 1], nic = g.ImageOffsets[3 * i + 2];
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
                        // v = r_j(wrapped) + S'·cell − r_i(wrapped); the shift for the original positions is
                        // S = S' + n_i − n_j, since r = r_wrapped + n·cell.
                        var toImage = rowShift + sx * a - pi;
                        bool selfImage = full ? (sx | sy | sz) != 0 : BruteForceNeighbors.IsFirstOfPair(i, i, sx, sy, sz);
                        int ta = sx + nia, tb = sy + nib, tc = sz + nic;
                        for (int k = kStart; k < kEnd; k++)
                        {
                            int j = order[k];
                            if (j <= i && (j < i ? half : !selfImage)) continue;
                            var p = sorted[k];
                            double vx = p.X + toImage.X, vy = p.Y + toImage.Y, vz = p.Z + toImage.Z;
                            double d2 = vx * vx + vy * vy + vz * vz;
                            if (d2 < cutoffSquared)
                                buffer.Add(j, ta - images[3 * k], tb - images[3 * k + 1], tc - images[3 * k + 2],
                                    new Vec3(vx, vy, vz), Math.Sqrt(d2));
                        }
                    }
                }
            }
            counts[i + 1] = buffer.Count - before;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FloorDiv(int x, int n) => x >= 0 ? x / n : -((-x + n - 1) / n);

    /// <summary>Copies the pairs of atoms [start, end) from a worker's buffer to their place in the list, each atom's
    /// pairs sorted by (j, shift) when asked.</summary>
    private static void Gather(NeighborList list, PairBuffer buffer, int start, int end, bool sorted)
    {
        var offsets = list.Offsets;
        int destination = offsets[start], count = offsets[end] - destination;
        for (int i = start; i < end; i++) list.I.AsSpan(offsets[i], offsets[i + 1] - offsets[i]).Fill(i);
        if (!sorted)
        {
            Array.Copy(buffer.J, 0, list.J, destination, count);
            Array.Copy(buffer.Shifts, 0, list.Shifts, 3 * destination, 3 * count);
            Array.Copy(buffer.Vectors, 0, list.Vectors, destination, count);
            Array.Copy(buffer.Distances, 0, list.Distances, destination, count);
            return;
        }
        for (int i = start; i < end; i++)
        {
            int from = offsets[i] - destination, length = offsets[i + 1] - offsets[i];
            var permutation = buffer.OrderScratch(length).AsSpan(0, length);
            for (int q = 0; q < length; q++) permutation[q] = from + q;
            permutation.Sort(new PairOrder(buffer.J, buffer.Shifts));
            for (int q = 0; q < length; q++)
            {
                int src = permutation[q], dst = offsets[i] + q;
                list.J[dst] = buffer.J[src];
                list.Shifts[3 * dst] = buffer.Shifts[3 * src];
                list.Shifts[3 * dst + 1] = buffer.Shifts[3 * src + 1];
                list.Shifts[3 * dst + 2] = buffer.Shifts[3 * src + 2];
                list.Vectors[dst] = buffer.Vectors[src];
                list.Distances[dst] = buffer.Distances[src];
            }
        }
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
