using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.ML.Graphs;

/// <summary>
/// A batch of structures as one disconnected graph of directed edges sender → receiver, on the host, built once per
/// potential call from the structures' full neighbor lists. Node n of structure b is AtomOffsets[b] + (its index in
/// b); its edges are [EdgeOffsets[b], EdgeOffsets[b+1]). The sender of edge e sits in the periodic image
/// SenderShift[e] (integer lattice translations), so the edge vector is
/// <c>v_e = r_receiver − (r_sender + SenderShift·cell)</c>, pointing from the neighbor to the centre atom; a full list
/// holds every pair in both directions. Edges come grouped by receiver (the neighbor list's order), which keeps
/// message sums local.
/// </summary>
public sealed class AtomGraph
{
    /// <summary>Per node: the model's species index (its position in the model's element list).</summary>
    public required long[] Species { get; init; }
    /// <summary>Per node: the atomic number.</summary>
    public required int[] AtomicNumbers { get; init; }
    /// <summary>Per node: the index of its structure in the batch.</summary>
    public required long[] NodeStructure { get; init; }
    /// <summary>Positions, 3 per node (Å).</summary>
    public required double[] Positions { get; init; }
    public required long[] Sender { get; init; }
    public required long[] Receiver { get; init; }
    /// <summary>3 per edge: the sender's image in lattice vectors.</summary>
    public required int[] SenderShift { get; init; }
    /// <summary>3 per edge: v_e = r_receiver − (r_sender + SenderShift·cell) (Å), computed in float64.</summary>
    public required double[] Vectors { get; init; }
    /// <summary>9 per structure: the cell, rows the lattice vectors (zeros where a structure has none).</summary>
    public required double[] Cells { get; init; }
    public required bool[] FullyPeriodic { get; init; }
    public required int[] AtomOffsets { get; init; }
    public required int[] EdgeOffsets { get; init; }

    /// <summary>Per edge: its reverse (see <see cref="ReverseEdges"/>), or null when some edge has none.</summary>
    private long[]? _reverse;

    public int NodeCount => Species.Length;
    public int EdgeCount => Sender.Length;
    public int StructureCount => AtomOffsets.Length - 1;

    /// <summary>
    /// The graph of a batch: every pair of the (full) neighbor lists within <paramref name="cutoff"/> of the current
    /// positions (a Verlet list may hold pairs of an older geometry, and beyond the cutoff), without an atom's
    /// zero-shift self pair. <paramref name="speciesIndex"/> maps an atomic number to the model's species index.
    /// </summary>
    public static AtomGraph Build(IReadOnlyList<Structure> structures, IReadOnlyList<NeighborList> neighbors, double cutoff,
        IReadOnlyDictionary<int, int> speciesIndex)
    {
        if (structures.Count != neighbors.Count) throw new ArgumentException("one neighbor list per structure is needed");
        int atoms = structures.Sum(s => s.Count);
        int pairs = neighbors.Sum(n => n.Count);
        var species = new long[atoms]; var numbers = new int[atoms]; var nodeStructure = new long[atoms]; var positions = new double[3 * atoms];
        var sender = new List<long>(pairs); var receiver = new List<long>(pairs); var reverse = new List<long>(pairs);
        bool reverseMissing = false;
        var shifts = new List<int>(3 * pairs); var vectors = new List<double>(3 * pairs);
        var cells = new double[9 * structures.Count];
        var periodic = new bool[structures.Count];
        var atomOffsets = new int[structures.Count + 1];
        var edgeOffsets = new int[structures.Count + 1];
        for (int b = 0; b < structures.Count; b++)
        {
            var s = structures[b]; var list = neighbors[b];
            if (!list.IsFull) throw new ArgumentException("a graph model needs a full neighbor list (i→j and j→i)");
            if (list.AtomCount != s.Count) throw new ArgumentException($"the neighbor list is for {list.AtomCount} atoms, the structure has {s.Count}");
            int atom0 = atomOffsets[b];
            for (int a = 0; a < s.Count; a++)
            {
                int z = s.Numbers[a];
                species[atom0 + a] = speciesIndex[z];
                numbers[atom0 + a] = z;
                nodeStructure[atom0 + a] = b;
                var r = s.Positions[a];
                positions[3 * (atom0 + a)] = r.X; positions[3 * (atom0 + a) + 1] = r.Y; positions[3 * (atom0 + a) + 2] = r.Z;
            }
            var cell = s.Cell.Matrix;
            Array.Copy(cell.ToArray(), 0, cells, 9 * b, 9);
            periodic[b] = s.Pbc.AllPeriodic;
            var edgeOfPair = new int[list.Count]; // the edge each pair became, or −1
            for (int p = 0; p < list.Count; p++)
            {
                edgeOfPair[p] = -1;
                int sx = list.Shifts[3 * p], sy = list.Shifts[3 * p + 1], sz = list.Shifts[3 * p + 2];
                if (list.I[p] == list.J[p] && sx == 0 && sy == 0 && sz == 0) continue;
                // The list's pair p is i → j + S: i is the centre (receiver), j in image S the neighbor (sender).
                var v = s.Positions[list.I[p]] - (s.Positions[list.J[p]] + new Vec3(sx, sy, sz) * cell);
                if (v.Length >= cutoff) continue;
                edgeOfPair[p] = sender.Count;
                sender.Add(atom0 + list.J[p]);
                receiver.Add(atom0 + list.I[p]);
                vectors.Add(v.X); vectors.Add(v.Y); vectors.Add(v.Z);
                shifts.Add(sx); shifts.Add(sy); shifts.Add(sz);
            }
            // Each edge's reverse is the edge its pair's reverse became (the list pairs its pairs once per build).
            var reversePairs = list.ReversePairs();
            for (int p = 0; p < list.Count; p++)
            {
                if (edgeOfPair[p] < 0) continue;
                int q = reversePairs[p], edge = q < 0 ? -1 : edgeOfPair[q];
                if (edge < 0) reverseMissing = true; // kept in one direction only (its length rounds to the cutoff)
                reverse.Add(edge);
            }
            atomOffsets[b + 1] = atom0 + s.Count;
            edgeOffsets[b + 1] = sender.Count;
        }
        return new AtomGraph
        {
            Species = species, AtomicNumbers = numbers, NodeStructure = nodeStructure, Positions = positions,
            Sender = sender.ToArray(), Receiver = receiver.ToArray(), SenderShift = shifts.ToArray(), Vectors = vectors.ToArray(),
            Cells = cells, FullyPeriodic = periodic, AtomOffsets = atomOffsets, EdgeOffsets = edgeOffsets,
            _reverse = reverseMissing ? null : reverse.ToArray(),
        };
    }

    /// <summary>Per edge: the index of its structure in the batch.</summary>
    public long[] EdgeStructure()
    {
        var result = new long[EdgeCount];
        for (int b = 0; b < StructureCount; b++) Array.Fill(result, b, EdgeOffsets[b], EdgeOffsets[b + 1] - EdgeOffsets[b]);
        return result;
    }

    /// <summary>
    /// For every edge j → i with image S, the index of the edge i → j with image −S; null when some edge has no
    /// reverse (a list cut at a cutoff that rounds differently in the two directions). Found when the graph is built,
    /// from the neighbor lists' pairing of their pairs (<see cref="NeighborList.ReversePairs"/>); shared, not to be
    /// modified.
    /// </summary>
    public long[]? ReverseEdges() => _reverse;
}
