using MDEngine.ML.Graphs;
using static TorchSharp.torch;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// The edges of a full neighbor list come in pairs, j → i with image S and i → j with image −S, at the same
/// distance. Everything TensorNet computes from the distance alone (the radial basis, the cutoff and the radial MLPs,
/// the most expensive per-edge work) is computed once per pair, from the pair's first edge, and handed to both.
/// <see cref="First"/> lists one edge of every pair, <see cref="Slot"/> gives every edge its pair's position in it.
/// </summary>
public sealed record EdgePairs(Tensor First, Tensor Slot)
{
    /// <summary>The pairs of a graph, or every edge on its own when some edge has no reverse.</summary>
    public static EdgePairs Of(AtomGraph graph, Device device)
    {
        var reverse = graph.ReverseEdges();
        if (reverse is null) return Unpaired(graph.EdgeCount, device);
        var slot = new long[graph.EdgeCount];
        var first = new List<long>(graph.EdgeCount / 2 + 1);
        for (int e = 0; e < slot.Length; e++)
            if (reverse[e] >= e) { slot[e] = first.Count; first.Add(e); }
        for (int e = 0; e < slot.Length; e++)
            if (reverse[e] < e) slot[e] = slot[reverse[e]];
        return new EdgePairs(tensor(first.ToArray()).to(device), tensor(slot).to(device));
    }

    /// <summary>Every edge its own pair (an edge list without the reverse bookkeeping).</summary>
    public static EdgePairs Unpaired(long edges, Device device)
    {
        var all = arange(edges, ScalarType.Int64, device);
        return new EdgePairs(all, all);
    }
}
