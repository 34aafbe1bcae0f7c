using static TorchSharp.torch;

using MDEngine.ML.Kernels;

namespace MDEngine.ML.Graphs;

/// <summary>
/// The edges of a graph with, per receiver, a row of K slots (K = the largest in-degree; empty slots point at edge
/// index E, a zero row appended to the data), so that neither direction of message passing needs a scatter-add
/// over an unsorted index:
/// <list type="bullet">
/// <item>the sum over the edges into each node is torch's index_add over the receivers (the edges come grouped by
/// receiver, so it is one sequential pass), whose adjoint is a gather by receiver;</item>
/// <item>the gather of sender features onto edges has as adjoint the sum over each node's outgoing edges, which torch
/// would do as a scatter-add by sender. In a full neighbour list every edge j → i (image S) has a reverse i → j (−S),
/// so that sum equals the sum over the node's incoming slots of the reverse edges' gradients: a gather into the slot
/// table and a dense sum over K.</item>
/// </list>
/// Summation order differs from torch's only by round-off.
/// </summary>
public sealed class EdgeLayout
{
    public long Nodes { get; }
    public long Edges { get; }
    public long Slots { get; }
    public Tensor Sender => _sender ?? throw HostOnly();
    public Tensor Receiver => _receiver ?? throw HostOnly();
    internal Tensor? SlotReverseEdges => HostOnlyCheck(_slotReverseEdges);  // [nodes·K] the reverse of each slot's edge, Edges for an empty slot
    private readonly Tensor? _sender, _receiver, _slotReverseEdges, _pairRepresentatives, _edgePairIndex;
    private readonly bool _hostOnly;
    /// <summary>Sender of each edge (host copy, for the CPU kernels).</summary>
    internal int[] SenderIndex { get; }
    /// <summary>The edges into node n are EdgesByReceiver[ReceiverOffsets[n] .. ReceiverOffsets[n+1]), in edge order.</summary>
    internal int[] ReceiverOffsets { get; }
    internal int[] EdgesByReceiver { get; }
    private readonly Dictionary<object, object> _plans = [];

    /// <summary>
    /// With reverse edges: an edge and its reverse have the same length, so functions of the length alone (the
    /// radial network) are evaluated once per pair. PairRepresentatives [pairs] is one edge of each pair (the
    /// lower index), EdgePair[e] the pair of edge e, PairEdges[2k], PairEdges[2k+1] the two edges of pair k.
    /// Null without reverse edges.
    /// </summary>
    public Tensor? PairRepresentatives => HostOnlyCheck(_pairRepresentatives);
    internal Tensor? EdgePairIndex => HostOnlyCheck(_edgePairIndex);
    internal int[]? EdgePair { get; }
    internal int[]? PairEdges { get; }

    /// <param name="reverse">reverse[e] = the edge with sender and receiver swapped and the opposite image, or null
    /// when the graph is not symmetric (then the sender gather's adjoint falls back to torch's scatter-add).</param>
    /// <param name="hostOnly">Only the host arrays the CPU kernels read (no index tensor: a model whose every step is
    /// a kernel never reads them, and making them costs tens of microseconds per evaluation).</param>
    public EdgeLayout(long nodes, long[] sender, long[] receiver, long[]? reverse, Device device, bool hostOnly = false)
    {
        Nodes = nodes; Edges = sender.Length; _hostOnly = hostOnly;
        var degree = new long[nodes];
        foreach (long r in receiver) degree[r]++;
        long k = Math.Max(1, degree.Length == 0 ? 1 : degree.Max());
        Slots = k;
        long[]? rev = null;
        if (reverse is not null && !hostOnly)
        {
            rev = new long[nodes * k];
            Array.Fill(rev, Edges);
            var fill = new long[nodes];
            for (long e = 0; e < sender.Length; e++) rev[receiver[e] * k + fill[receiver[e]]++] = reverse[e];
        }
        if (sender.LongLength > int.MaxValue || nodes > int.MaxValue) throw new ArgumentException("too many edges for one graph");
        SenderIndex = new int[sender.Length];
        for (int e = 0; e < sender.Length; e++) SenderIndex[e] = (int)sender[e];
        ReceiverOffsets = new int[nodes + 1];
        for (long n = 0; n < nodes; n++) ReceiverOffsets[n + 1] = ReceiverOffsets[n] + (int)degree[n];
        EdgesByReceiver = new int[sender.Length];
        var next = ReceiverOffsets[..^1];
        for (int e = 0; e < receiver.Length; e++) EdgesByReceiver[next[receiver[e]]++] = e;
        if (!hostOnly)
        {
            _sender = tensor(sender, [sender.LongLength], ScalarType.Int64).to(device);
            _receiver = tensor(receiver, [receiver.LongLength], ScalarType.Int64).to(device);
            _slotReverseEdges = rev is null ? null : tensor(rev, [rev.LongLength], ScalarType.Int64).to(device);
        }
        if (reverse is not null && Array.TrueForAll(reverse, r => r >= 0 && r < sender.LongLength))
        {
            var edgePair = new int[sender.Length];
            var pairEdges = new List<int>(sender.Length);
            bool paired = true;
            for (int e = 0; e < sender.Length && paired; e++)
            {
                long r = reverse[e];
                if (reverse[r] != e || r == e) paired = false;
                else if (e < r)
                {
                    edgePair[e] = edgePair[r] = pairEdges.Count / 2;
                    pairEdges.Add(e); pairEdges.Add((int)r);
                }
            }
            if (paired)
            {
                EdgePair = edgePair;
                PairEdges = pairEdges.ToArray();
                if (!hostOnly)
                {
                    var representatives = new long[PairEdges.Length / 2]; // each pair's first edge
                    for (int pair = 0; pair < representatives.Length; pair++) representatives[pair] = PairEdges[2 * pair];
                    _pairRepresentatives = tensor(representatives, [representatives.LongLength], ScalarType.Int64).to(device);
                    _edgePairIndex = tensor(Array.ConvertAll(edgePair, pair => (long)pair), [edgePair.LongLength], ScalarType.Int64).to(device);
                }
            }
        }
    }

    private Exception HostOnly() => new InvalidOperationException("this edge layout holds the host arrays of the CPU kernels only, no index tensors");

    private Tensor? HostOnlyCheck(Tensor? tensor) => _hostOnly ? throw HostOnly() : tensor;

    /// <summary>Σ over the edges into each node: y [E, ...] → [nodes, ...]. torch's index_add is a sequential pass
    /// over y here, and its adjoint is already a gather (by receiver).</summary>
    public Tensor SumOverReceivers(Tensor y)
    {
        var shape = (long[])y.shape.Clone(); shape[0] = Nodes;
        return zeros(shape, dtype: y.dtype, device: y.device).index_add_(0, Receiver, y, 1.0);
    }

    /// <summary>
    /// Contiguous ranges of receivers, one per thread (at most <paramref name="threads"/>), each with about the same
    /// cost: its incoming edges, each edge whose reverse comes into a lower range counting 1 + <paramref name="crossingCost"/>
    /// (the convolution's reverse pass stores those edges' weight gradients apart, in side rows).
    /// </summary>
    internal (int Start, int End)[] ReceiverRanges(int threads, double crossingCost = 0)
    {
        int count = (int)Math.Max(1, Math.Min(threads, Nodes));
        return Plan(("receiver ranges", count, crossingCost), () =>
        {
            var cost = new double[Nodes];
            for (int n = 0; n < Nodes; n++) cost[n] = ReceiverOffsets[n + 1] - ReceiverOffsets[n];
            var ranges = Split(cost, count);
            if (crossingCost == 0 || count == 1) return ranges;
            // Which edges cross downwards depends on the ranges: weigh them by the even split's, then split again.
            var rangeOf = RangeOfNode(ranges);
            for (int n = 0; n < Nodes; n++)
                for (int i = ReceiverOffsets[n]; i < ReceiverOffsets[n + 1]; i++)
                    if (rangeOf[SenderIndex[EdgesByReceiver[i]]] < rangeOf[n]) cost[n] += crossingCost;
            return Split(cost, count);
        });
    }

    /// <summary>Per node: the index of the range among <paramref name="ranges"/> (contiguous, covering the nodes) that
    /// holds it.</summary>
    internal int[] RangeOfNode((int Start, int End)[] ranges)
    {
        var rangeOf = new int[Nodes];
        for (int k = 0; k < ranges.Length; k++) Array.Fill(rangeOf, k, ranges[k].Start, ranges[k].End - ranges[k].Start);
        return rangeOf;
    }

    /// <summary>Contiguous ranges of the nodes, each ending at the first node where the cost before it reaches its share.</summary>
    private static (int Start, int End)[] Split(double[] cost, int count)
    {
        double total = cost.Sum(), sum = 0;
        var ranges = new (int Start, int End)[count];
        int start = 0, end = 0;
        for (int k = 0; k < count; k++)
        {
            double goal = total * (k + 1) / count;
            if (k == count - 1) end = cost.Length;
            else while (end < cost.Length && sum < goal) sum += cost[end++]; // until the nodes before reach the goal
            ranges[k] = (start, end);
            start = end;
        }
        return ranges;
    }

    /// <summary>What a kernel derives from this graph alone (an index plan), made on first use under
    /// <paramref name="key"/> and kept while the graph lives: the layers of a model share one graph per evaluation.</summary>
    internal TPlan Plan<TPlan>(object key, Func<TPlan> make) where TPlan : class
    {
        lock (_plans)
        {
            if (_plans.TryGetValue(key, out var plan)) return (TPlan)plan;
            var made = make();
            _plans[key] = made;
            return made;
        }
    }

    /// <summary>Sender features on the edges: x [nodes, F] → [E, F].</summary>
    public Tensor GatherSenders(Tensor x) =>
        SlotReverseEdges is null ? x.index_select(0, Sender) : GatherSendersFunction.apply(x, this);

    /// <summary>Σ_k data[table[n·K + k]] with data [E, F] extended by a zero row: [nodes, F].</summary>
    internal Tensor SumSlots(Tensor data, Tensor table)
    {
        long f = data.shape[1];
        var extended = cat([data, zeros(1, f, dtype: data.dtype, device: data.device)], 0);
        return extended.index_select(0, table).view(Nodes, Slots, f).sum(1);
    }

    private sealed class GatherSendersFunction : autograd.SingleTensorFunction<GatherSendersFunction>
    {
        public override string Name => "GatherSenders";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0]; var layout = (EdgeLayout)vars[1];
            ctx.save_data("layout", layout);
            return x.index_select(0, layout.Sender);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var layout = (EdgeLayout)ctx.get_data("layout");
            return [layout.SumSlots(gradOutput.contiguous(), layout.SlotReverseEdges!), null!];
        }
    }
}
