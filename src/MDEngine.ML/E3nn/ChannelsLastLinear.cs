using MDEngine.ML.Mace;
using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// e3nn's <c>o3.Linear</c> (<see cref="E3Linear"/>) or MACE's element-dependent self-connection
/// (<see cref="ScalarTensorProduct"/>) on channels-last features [N, rows, mul]: one row per irrep component, the
/// channels contiguous (the layout of the CPU kernels, <see cref="Kernels.TensorProductUvu.ToKernelLayout"/>). Every
/// entry of the input and of the output has the same multiplicity (MACE's uniform channels).
/// <para>
/// A channel mix acts on each component row alone: out[:, r_o + m, :] = Σ_i x[:, r_i + m, :] · W_io. Each such row of
/// all nodes is a matrix [N, mul] whose rows are a fixed stride apart, which BLAS reads and writes in place — so the
/// layer is a handful of matrix products and no copy, forward and reverse, where the layout change to e3nn's
/// channel-major rows and back costs several copies of the features each way. The reverse pass is written out
/// (the weights are constants: evaluation only); it is first-order only, so training keeps <see cref="E3Linear"/>.
/// </para>
/// </summary>
public sealed class ChannelsLastLinear
{
    /// <summary>One input entry's contribution to one output entry: rows [InRow, InRow + Dim) → [OutRow, OutRow + Dim),
    /// weight [mul_in, mul_out] per element (one when shared by all elements).</summary>
    private sealed record Term(int InRow, int OutRow, int Dim, Tensor[] Weights, bool FirstOfOutput)
    {
        /// <summary>Per element, the CPU kernels of the weight and its transpose (null off the CPU).</summary>
        public Kernels.DenseLayerKernels.Weights?[] Kernels { get; } =
            Weights.Select(w => w.device_type == TorchSharp.DeviceType.CPU ? MDEngine.ML.Kernels.DenseLayerKernels.For(w) : null).ToArray();
    }

    private readonly Term[] _terms;
    private readonly bool[] _inputUsed;   // per input row: some term reads it (the others get a zero gradient)
    private readonly int[] _zeroOutputRows; // rows of output entries nothing reaches
    private readonly int _elements;
    private readonly long _multiplyAddsPerNode; // Σ over the terms of Dim·mul_in·mul_out

    /// <summary>The stage its reverse pass is charged to by <see cref="StageClock"/> ("reverse: " + this).</summary>
    public string Stage { get; init; } = "product";

    public int InputRows { get; }
    public int OutputRows { get; }
    public int InputMul { get; }
    public int OutputMul { get; }

    /// <param name="channelsLastIn">The input as its rows are laid out: the entries of <paramref name="irrepsIn"/>, or a
    /// finer split of them (an entry of irrepsIn may be several consecutive entries here whose multiplicities add up,
    /// its channels in their order) — the fused convolution's output has one entry per path.</param>
    /// <param name="paths">Per output entry: the irrepsIn entries that feed it and their stacked weight
    /// [Σ mul_in, mul_out], or [elements, Σ mul_in, mul_out] for element-dependent weights; null: a zero output.</param>
    /// <param name="scale">A constant folded into the weights.</param>
    internal ChannelsLastLinear(Irreps channelsLastIn, Irreps irrepsIn, Irreps irrepsOut, IReadOnlyList<(int[] Inputs, Tensor? Weight)> paths, double scale = 1.0)
    {
        if (channelsLastIn.Count == 0 || irrepsOut.Count == 0) throw new ArgumentException("channels-last features need at least one entry in and out");
        InputMul = channelsLastIn[0].Mul; OutputMul = irrepsOut[0].Mul;
        if (channelsLastIn.Any(m => m.Mul != InputMul) || irrepsOut.Any(m => m.Mul != OutputMul))
            throw new ArgumentException($"channels-last features need one multiplicity per layer: {channelsLastIn} → {irrepsOut}");
        InputRows = channelsLastIn.Sum(m => m.Ir.Dim);
        OutputRows = irrepsOut.Sum(m => m.Ir.Dim);
        var pieces = PiecesOf(channelsLastIn, irrepsIn);
        var inRow = RowStarts(channelsLastIn);
        var outRow = RowStarts(irrepsOut);
        _elements = paths.Select(p => p.Weight).OfType<Tensor>().Select(w => w.dim() == 3 ? (int)w.shape[0] : 1).DefaultIfEmpty(1).Max();
        var terms = new List<Term>();
        for (int o = 0; o < irrepsOut.Count; o++)
        {
            var (inputs, weight) = paths[o];
            if (weight is null) continue;
            int fanOffset = 0;
            foreach (int i in inputs)
            {
                foreach (var (entry, channel) in pieces[i])
                {
                    // The layer may be built within a caller's dispose scope; its weights outlive it.
                    using var scope = NewDisposeScope();
                    var rows = weight.narrow(-2, fanOffset + channel, InputMul) * scale;
                    var perElement = (weight.dim() == 3 ? Enumerable.Range(0, _elements).Select(e => rows[e].contiguous()).ToArray() : [rows.contiguous()])
                        .Select(w => w.DetachFromDisposeScope()).ToArray();
                    terms.Add(new Term(inRow[entry], outRow[o], irrepsOut[o].Ir.Dim, perElement, !terms.Any(t => t.OutRow == outRow[o])));
                }
                fanOffset += irrepsIn[i].Mul;
            }
        }
        _terms = terms.ToArray();
        _multiplyAddsPerNode = _terms.Sum(t => (long)t.Dim * t.Weights[0].shape[0] * t.Weights[0].shape[1]);
        _inputUsed = new bool[InputRows];
        foreach (var t in _terms) for (int m = 0; m < t.Dim; m++) _inputUsed[t.InRow + m] = true;
        _zeroOutputRows = Enumerable.Range(0, irrepsOut.Count).Where(o => paths[o].Weight is null)
            .SelectMany(o => Enumerable.Range(outRow[o], irrepsOut[o].Ir.Dim)).ToArray();
    }

    /// <summary>The layer of an <see cref="E3Linear"/>, its input laid out as <paramref name="channelsLastIn"/>
    /// (default: its own input irreps).</summary>
    public static ChannelsLastLinear From(E3Linear linear, Irreps? channelsLastIn = null, double scale = 1.0, string stage = "product") =>
        new(channelsLastIn ?? linear.IrrepsIn, linear.IrrepsIn, linear.IrrepsOut, linear.PathWeights, scale) { Stage = stage };

    /// <summary>The element-dependent channel mix of a <see cref="ScalarTensorProduct"/>.</summary>
    public static ChannelsLastLinear From(ScalarTensorProduct product) =>
        new(product.IrrepsIn1, product.IrrepsIn1, product.IrrepsOut, product.PathWeights);

    /// <summary>x [N, InputRows, InputMul] → [N, OutputRows, OutputMul]; <paramref name="groups"/>: the nodes of each
    /// element, for element-dependent weights.</summary>
    public Tensor Forward(Tensor x, ElementGroups? groups = null)
    {
        if (x.dim() != 3 || x.shape[1] != InputRows || x.shape[2] != InputMul)
            throw new ArgumentException($"channels-last input [N, {InputRows}, {InputMul}] expected, got [{string.Join(", ", x.shape)}]");
        if (_elements > 1 && groups is null) throw new ArgumentException("element-dependent weights need the nodes' elements");
        return ChannelsLastLinearFunction.apply(x, this, groups!);
    }

    /// <summary><see cref="Forward"/> without autograd (the layer's step in a pass that writes its reverse out).</summary>
    internal Tensor Apply(Tensor x, ElementGroups? groups = null)
    {
        x = x.contiguous();
        var y = empty(x.shape[0], OutputRows, OutputMul, dtype: x.dtype, device: x.device);
        using (var scope = NewDisposeScope()) ByElement(x, y, groups, Rows);
        return y;
    }

    /// <summary>The reverse of <see cref="Apply"/>: ∂L/∂x [N, InputRows, InputMul] from ∂L/∂y.</summary>
    internal Tensor ApplyTransposed(Tensor gy, ElementGroups? groups = null)
    {
        var gx = empty(gy.shape[0], InputRows, InputMul, dtype: gy.dtype, device: gy.device);
        using (var scope = NewDisposeScope()) ByElement(gy.contiguous(), gx, groups, RowsTransposed);
        return gx;
    }

    /// <summary>Less work a thread (multiply-adds; some 5 µs) would cost more in handing it to the other thread than it
    /// saves.</summary>
    private const long MinimumMultiplyAddsPerThread = 1 << 18;

    /// <summary>Less work a chunk of nodes would make the blocked product's per-call costs count.</summary>
    private const long MinimumMultiplyAddsPerChunk = 1 << 17;

    /// <summary>Fewer nodes a chunk would leave the product's tiles part empty: a tile of four rows reuses each loaded
    /// weight vector four times, one of one row once (64-atom MACE, float32, two threads: chunks down to one node
    /// cost some 3% of the whole evaluation against chunks of eight).</summary>
    private const int MinimumNodesPerChunk = 2 * Kernels.MatrixProductKernel<float>.TileRows;

    /// <summary>The matrix product kernels serve these tensors (CPU, float32 or float64).</summary>
    private bool KernelsServe(Tensor t, int element) => t.device_type == TorchSharp.DeviceType.CPU && _terms.All(term => term.Kernels[element] is not null);

    /// <summary>Splits the nodes [0, n) over the threads in chunks they claim as they go (one range outside a parallel
    /// section's work).</summary>
    private void ForNodeRanges(long n, Action<int, int> range)
    {
        int threads = (int)Math.Clamp(n * _multiplyAddsPerNode / MinimumMultiplyAddsPerThread, 1, Kernels.CpuParallel.Threads);
        // Chunks of whole tiles (every chunk a multiple of the minimum), and of enough work.
        int tile = Kernels.MatrixProductKernel<float>.TileRows;
        int minimumChunk = (int)Math.Max(MinimumNodesPerChunk, MinimumMultiplyAddsPerChunk / Math.Max(1, _multiplyAddsPerNode));
        minimumChunk = (minimumChunk + tile - 1) / tile * tile;
        Kernels.CpuParallel.ForChunks((int)n, threads, minimumChunk, range);
    }

    /// <summary>y = x·W row by row, for the nodes of one element (all nodes when the weights are shared); the nodes
    /// split over the threads.</summary>
    private void Rows(Tensor x, Tensor y, int element)
    {
        long n = x.shape[0], ldx = InputRows * (long)InputMul, ldy = OutputRows * (long)OutputMul;
        if (KernelsServe(x, element))
            ForNodeRanges(n, (first, end) =>
            {
                foreach (var t in _terms)
                    for (int m = 0; m < t.Dim; m++)
                        Kernels.DenseLayerKernels.MultiplyRows(t.Kernels[element]!.Forward, x, first * ldx + (t.InRow + m) * (long)InputMul, ldx,
                            y, first * ldy + (t.OutRow + m) * (long)OutputMul, ldy, end - first, add: !t.FirstOfOutput);
                foreach (int r in _zeroOutputRows) Kernels.DenseLayerKernels.ClearRows(y, first * ldy + r * (long)OutputMul, ldy, end - first, OutputMul);
            });
        else
        {
            foreach (var t in _terms)
                for (int m = 0; m < t.Dim; m++)
                    y.select(1, t.OutRow + m).addmm_(x.select(1, t.InRow + m), t.Weights[element], beta: t.FirstOfOutput ? 0 : 1);
            foreach (int r in _zeroOutputRows) y.select(1, r).zero_();
        }
    }

    /// <summary>gx = gy·Wᵀ row by row (the transpose of <see cref="Rows"/>).</summary>
    private void RowsTransposed(Tensor gy, Tensor gx, int element)
    {
        long n = gy.shape[0], ldx = InputRows * (long)InputMul, ldy = OutputRows * (long)OutputMul;
        if (KernelsServe(gy, element))
            ForNodeRanges(n, (first, end) =>
            {
                var written = new bool[InputRows];
                foreach (var t in _terms)
                    for (int m = 0; m < t.Dim; m++)
                    {
                        int row = t.InRow + m;
                        Kernels.DenseLayerKernels.MultiplyRows(t.Kernels[element]!.Transposed, gy, first * ldy + (t.OutRow + m) * (long)OutputMul, ldy,
                            gx, first * ldx + row * (long)InputMul, ldx, end - first, add: written[row]);
                        written[row] = true;
                    }
                for (int r = 0; r < InputRows; r++)
                    if (!_inputUsed[r]) Kernels.DenseLayerKernels.ClearRows(gx, first * ldx + r * (long)InputMul, ldx, end - first, InputMul);
            });
        else
        {
            var written = new bool[InputRows];
            foreach (var t in _terms)
                for (int m = 0; m < t.Dim; m++)
                {
                    int row = t.InRow + m;
                    gx.select(1, row).addmm_(gy.select(1, t.OutRow + m), t.Weights[element].t(), beta: written[row] ? 1 : 0);
                    written[row] = true;
                }
            for (int r = 0; r < InputRows; r++) if (!_inputUsed[r]) gx.select(1, r).zero_();
        }
    }

    /// <summary>Applies a row map to every element's nodes: to all nodes at once when they share the weights or one
    /// element, else to each element's nodes gathered.</summary>
    private void ByElement(Tensor input, Tensor output, ElementGroups? groups, Action<Tensor, Tensor, int> rows)
    {
        if (_elements == 1) { rows(input, output, 0); return; }
        if (groups!.Single is int only) { rows(input, output, only); return; }
        foreach (var (element, nodes) in groups.Groups)
        {
            var part = empty(nodes.shape[0], output.shape[1], output.shape[2], dtype: output.dtype, device: output.device);
            rows(input.index_select(0, nodes), part, element);
            output.index_copy_(0, nodes, part);
        }
    }

    private static List<(int Entry, int Channel)>[] PiecesOf(Irreps channelsLastIn, Irreps irrepsIn)
    {
        var pieces = irrepsIn.Select(_ => new List<(int, int)>()).ToArray();
        int i = 0, used = 0;
        for (int j = 0; j < channelsLastIn.Count; j++)
        {
            while (i < irrepsIn.Count && irrepsIn[i].Mul == 0) i++;
            if (i == irrepsIn.Count || channelsLastIn[j].Ir != irrepsIn[i].Ir || used + channelsLastIn[j].Mul > irrepsIn[i].Mul)
                throw new ArgumentException($"the channels-last layout {channelsLastIn} does not split {irrepsIn}");
            pieces[i].Add((j, used));
            used += channelsLastIn[j].Mul;
            if (used == irrepsIn[i].Mul) { i++; used = 0; }
        }
        if (used != 0 || irrepsIn.Skip(i).Any(m => m.Mul > 0)) throw new ArgumentException($"the channels-last layout {channelsLastIn} does not cover {irrepsIn}");
        return pieces;
    }

    private static int[] RowStarts(Irreps irreps)
    {
        var starts = new int[irreps.Count];
        for (int k = 1; k < starts.Length; k++) starts[k] = starts[k - 1] + irreps[k - 1].Ir.Dim;
        return starts;
    }

    private sealed record State(ChannelsLastLinear Layer, ElementGroups? Groups);

    private sealed class ChannelsLastLinearFunction : autograd.SingleTensorFunction<ChannelsLastLinearFunction>
    {
        public override string Name => "ChannelsLastLinear";

        /// <summary>vars: x, the layer, the element groups (or null).</summary>
        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var layer = (ChannelsLastLinear)vars[1]; var groups = vars[2] as ElementGroups;
            ctx.save_data("state", new State(layer, groups));
            return layer.Apply((Tensor)vars[0], groups);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var (layer, groups) = (State)ctx.get_data("state");
            StageClock.Mark("reverse: other");
            var gx = layer.ApplyTransposed(gradOutput, groups);
            StageClock.Mark($"reverse: {layer.Stage}");
            return [gx, null!, null!];
        }
    }
}
