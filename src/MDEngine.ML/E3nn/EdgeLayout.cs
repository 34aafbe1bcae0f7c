using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// The edges of a graph laid out per receiver in a dense [nodes, K] table of slots (K = the largest in-degree; empty
/// slots point at edge index E, a zero row appended to the data). With it the two sparse operations of message
/// passing become gathers in both directions, with no scatter-add:
/// <list type="bullet">
/// <item>the sum over the edges into each node is a gather into the table followed by a dense sum over K; its
/// adjoint, the copy of a node's gradient onto its edges, is a gather by receiver;</item>
/// <item>the gather of sender features onto edges has as adjoint the sum over each node's outgoing edges; in a full
/// neighbour list every edge j → i (image shift S) has a reverse i → j (−S), so that sum equals the sum over the node's
/// incoming edges of the reverse edges' gradients: again a gather into the table and a dense sum.</item>
/// </list>
/// Summation order differs from a sequential scatter only by round-off.
/// </summary>
public sealed class EdgeLayout
{
    public long Nodes { get; }
    public long Edges { get; }
    public long Slots { get; }
    public Tensor Sender { get; }
    public Tensor Receiver { get; }
    internal Tensor SlotEdges { get; }          // [nodes·K] edge per slot, Edges for an empty slot
    internal Tensor? SlotReverseEdges { get; }  // [nodes·K] the reverse of each slot's edge, Edges for an empty slot

    /// <param name="reverse">reverse[e] = the edge with sender and receiver swapped and the opposite image, or null
    /// when the graph is not symmetric (then the sender gather's adjoint falls back to torch's scatter-add).</param>
    public EdgeLayout(long nodes, long[] sender, long[] receiver, long[]? reverse, Device device)
    {
        Nodes = nodes; Edges = sender.Length;
        var degree = new long[nodes];
        foreach (long r in receiver) degree[r]++;
        long k = Math.Max(1, degree.Length == 0 ? 1 : degree.Max());
        Slots = k;
        var slots = new long[nodes * k];
        var rev = reverse is null ? null : new long[nodes * k];
        Array.Fill(slots, Edges);
        if (rev is not null) Array.Fill(rev, Edges);
        var fill = new long[nodes];
        for (long e = 0; e < sender.Length; e++)
        {
            long r = receiver[e], slot = r * k + fill[r]++;
            slots[slot] = e;
            if (rev is not null) rev[slot] = reverse![e];
        }
        Sender = tensor(sender, [sender.LongLength], ScalarType.Int64).to(device);
        Receiver = tensor(receiver, [receiver.LongLength], ScalarType.Int64).to(device);
        SlotEdges = tensor(slots, [slots.LongLength], ScalarType.Int64).to(device);
        SlotReverseEdges = rev is null ? null : tensor(rev, [rev.LongLength], ScalarType.Int64).to(device);
    }

    /// <summary>Σ over the edges into each node: y [E, ...] → [nodes, ...].</summary>
    public Tensor SumOverReceivers(Tensor y) => SumOverReceiversFunction.apply(y, this);

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

    private sealed class SumOverReceiversFunction : autograd.SingleTensorFunction<SumOverReceiversFunction>
    {
        public override string Name => "SumOverReceivers";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var y = (Tensor)vars[0]; var layout = (EdgeLayout)vars[1];
            ctx.save_data("layout", layout);
            ctx.save_data("shape", y.shape);
            var outShape = (long[])y.shape.Clone(); outShape[0] = layout.Nodes;
            return layout.SumSlots(y.reshape(layout.Edges, -1), layout.SlotEdges).view(outShape);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var layout = (EdgeLayout)ctx.get_data("layout"); var shape = (long[])ctx.get_data("shape");
            return [gradOutput.reshape(layout.Nodes, -1).index_select(0, layout.Receiver).view(shape), null!]; // none for the layout
        }
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
