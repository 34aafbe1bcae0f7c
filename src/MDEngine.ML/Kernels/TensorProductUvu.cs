using static TorchSharp.torch;

using MDEngine.ML.E3nn;
using MDEngine.ML.Graphs;

namespace MDEngine.ML.Kernels;

/// <summary>
/// MACE's convolution: e3nn's <c>TensorProduct</c> in "uvu" mode between node features (in1) and edge spherical
/// harmonics (in2, multiplicity 1 each), with one external weight per edge, channel and path. Paths and output
/// irreps follow mace-torch's <c>tp_out_irreps_with_instructions</c>: every (in1, in2, l3) whose l3 is in the target,
/// outputs sorted by irrep (stable), paths ordered by output. Path p: out_p[e,u,k] =
/// √((2l3+1)/fan-in) · w[e,p,u] · Σ_ij C[i,j,k] x1[e,u,i] x2[e,j] (component irrep normalisation, element path
/// normalisation; fan-in = Σ mul2 over paths into that output = 1 here since no two paths share an unsimplified output).
/// </summary>
public sealed class TensorProductUvu
{
    private sealed record Path(int In1, int In2, int Out, double Alpha);

    private sealed class In1Group
    {
        public required int In1;
        public required Path[] Paths;
        public required int Columns;
        public required Tensor Coupling;    // [dim2, paths·d1·Columns]: sh → per-edge coupling, block k·d1+a feeds path k's columns only
        public required Tensor PathIndices; // [paths of the group] global path indices
    }

    private readonly Irreps _in1, _in2;
    private readonly In1Group[] _groups;
    private readonly Path[] _paths;
    private readonly object? _kernel;   // UvuConvolutionKernel<float or double> for the CPU, by dtype
    private readonly int _rows, _columns;
    private readonly bool _fused;

    /// <summary>The paths as the fused kernel sees them.</summary>
    internal UvuKernelPath[] KernelPaths { get; }

    public Irreps IrrepsOut { get; }
    public int WeightCount => _paths.Sum(p => _in1[p.In1].Mul * _in2[p.In2].Mul);
    public int PathCount => _paths.Length;

    /// <param name="fusedKernel">false: always the torch formulation, which autograd differentiates to any order
    /// (training needs the gradient of the forces); the fused CPU kernel has a first-order reverse pass only.</param>
    public TensorProductUvu(Irreps in1, Irreps in2, Irreps target, Wigner3j w3j, TensorOptions options, bool fusedKernel = true)
    {
        _in1 = in1; _in2 = in2; _fused = fusedKernel;
        if (in2.Any(m => m.Mul != 1)) throw new NotSupportedException("the uvu convolution expects one copy of each spherical harmonic");
        var outs = new List<MulIrrep>();
        var raw = new List<(int I1, int I2, int K)>();
        for (int i = 0; i < in1.Count; i++)
            for (int j = 0; j < in2.Count; j++)
                foreach (var ir in in1[i].Ir.Times(in2[j].Ir))
                    if (target.Contains(ir)) { raw.Add((i, j, outs.Count)); outs.Add(new MulIrrep(in1[i].Mul, ir)); }
        var (sorted, perm) = new Irreps(outs).Sort();
        IrrepsOut = sorted;
        _paths = raw.Select(r => (r.I1, r.I2, Out: perm[r.K])).OrderBy(r => r.Out)
            .Select(r => new Path(r.I1, r.I2, r.Out, Math.Sqrt(sorted[r.Out].Ir.Dim / (double)in2[r.I2].Mul))).ToArray();

        int dim2 = in2.Dim;
        var in2Offsets = in2.Offsets();
        _groups = Enumerable.Range(0, in1.Count).Where(i => _paths.Any(p => p.In1 == i)).Select(i =>
        {
            var paths = _paths.Where(p => p.In1 == i).ToArray();
            var columnOffset = new int[paths.Length];
            int columns = 0;
            for (int k = 0; k < paths.Length; k++) { columnOffset[k] = columns; columns += sorted[paths[k].Out].Ir.Dim; }
            int d1 = in1[i].Ir.Dim;
            int rows = paths.Length * d1;
            var coupling = new double[dim2 * rows * columns];
            for (int k = 0; k < paths.Length; k++)
            {
                var path = paths[k];
                int l1 = in1[i].Ir.L, l2 = in2[path.In2].Ir.L, l3 = sorted[path.Out].Ir.L;
                int d2 = 2 * l2 + 1, d3 = 2 * l3 + 1;
                var c = w3j.Get(l1, l2, l3);
                for (int a = 0; a < d1; a++)
                    for (int b = 0; b < d2; b++)
                        for (int m = 0; m < d3; m++)
                            coupling[(in2Offsets[path.In2] + b) * rows * columns + (k * d1 + a) * columns + columnOffset[k] + m] = path.Alpha * c[(a * d2 + b) * d3 + m];
            }
            return new In1Group
            {
                In1 = i, Paths = paths, Columns = columns,
                Coupling = options.Make(coupling, dim2, rows * columns),
                PathIndices = options.Indices(paths.Select(p => (long)Array.IndexOf(_paths, p)).ToArray()),
            };
        }).ToArray();
        if (_paths.Any(p => in1[p.In1].Mul != in1[_paths[0].In1].Mul)) throw new NotSupportedException("the uvu convolution expects one multiplicity for all node feature irreps");

        // The fused CPU kernel: node features and messages channels last, one row per irrep component.
        var rowStart = new int[in1.Count + 1];
        for (int i = 0; i < in1.Count; i++) rowStart[i + 1] = rowStart[i] + in1[i].Ir.Dim;
        _rows = rowStart[in1.Count];
        var kernelPaths = new UvuKernelPath[_paths.Length];
        for (int p = 0, column = 0; p < _paths.Length; p++)
        {
            var path = _paths[p];
            int l1 = in1[path.In1].Ir.L, l2 = in2[path.In2].Ir.L, l3 = sorted[path.Out].Ir.L;
            var c = w3j.Get(l1, l2, l3).Select(v => path.Alpha * v).ToArray();
            kernelPaths[p] = new UvuKernelPath(rowStart[path.In1], 2 * l1 + 1, in2Offsets[path.In2], 2 * l2 + 1, column, 2 * l3 + 1, c);
            column += 2 * l3 + 1;
        }
        _columns = kernelPaths.Sum(k => k.D3);
        KernelPaths = kernelPaths;
        int channels = _paths.Length == 0 ? 0 : in1[_paths[0].In1].Mul;
        _kernel = !fusedKernel ? null : options.DType switch
        {
            ScalarType.Float32 => new UvuConvolutionKernel<float>(channels, _rows, _columns, dim2, kernelPaths),
            ScalarType.Float64 => new UvuConvolutionKernel<double>(channels, _rows, _columns, dim2, kernelPaths),
            _ => null,
        };
    }

    /// <summary>
    /// Messages from the node features of the senders, summed onto the receivers: x1 [nodes, in1.Dim],
    /// x2 [E, in2.Dim], weights [E, WeightCount] → [nodes, IrrepsOut.Dim] in e3nn's layout. On the CPU this is the
    /// fused kernel (<see cref="UvuConvolutionKernel{T}"/>) with its own reverse pass; elsewhere the gather of the
    /// senders and the batched products below. With <paramref name="pairedWeights"/> the weights have one row per
    /// edge pair (<see cref="EdgeLayout.PairRepresentatives"/>), shared by an edge and its reverse.
    /// </summary>
    public Tensor ForwardNodes(Tensor nodeFeatures, Tensor x2, Tensor weights, EdgeLayout layout, bool pairedWeights = false)
    {
        if (pairedWeights && layout.EdgePairIndex is null) throw new ArgumentException("the graph has no edge pairs");
        Tensor EdgeWeights() => pairedWeights ? weights.index_select(0, layout.EdgePairIndex!) : weights;
        // Without the fused kernel (training) the senders are gathered by torch's index_select, differentiable to any order.
        if (!_fused) return Forward(nodeFeatures.index_select(0, layout.Sender), x2, EdgeWeights(), layout);
        if (_kernel is null || _paths.Length == 0 || nodeFeatures.device_type != TorchSharp.DeviceType.CPU)
            return Forward(layout.GatherSenders(nodeFeatures), x2, EdgeWeights(), layout);
        return FromKernelLayout(ConvolveKernelLayout(ToKernelLayout(nodeFeatures), x2, weights, layout, pairedWeights));
    }

    /// <summary>True when <see cref="ForwardNodes"/> runs the fused CPU kernel on such features; its three steps
    /// (<see cref="ToKernelLayout"/>, <see cref="ConvolveKernelLayout"/>, <see cref="FromKernelLayout"/>) can then be
    /// called apart, the two layout changes being per node.</summary>
    public bool UsesKernel(Tensor nodeFeatures) => _fused && _kernel is not null && _paths.Length > 0 && nodeFeatures.device_type == TorchSharp.DeviceType.CPU;

    /// <summary>Node features in e3nn's layout [N, in1.Dim] → the kernel's channels-last rows [N, rows, u].</summary>
    public Tensor ToKernelLayout(Tensor nodeFeatures) => ChannelsLast.From(nodeFeatures, _in1);

    /// <summary>The fused kernel: channels-last features [N, rows, u] → messages summed onto the receivers,
    /// channels last [N, cols, u] (one column block per path).</summary>
    public Tensor ConvolveKernelLayout(Tensor channelsLast, Tensor x2, Tensor weights, EdgeLayout layout, bool pairedWeights) =>
        UvuConvolutionFunction.apply(channelsLast, x2.contiguous(), weights.contiguous(), _kernel!, layout, pairedWeights);

    /// <summary><see cref="ConvolveKernelLayout"/> without autograd.</summary>
    internal Tensor ConvolveRecorded(Tensor channelsLast, Tensor x2, Tensor weights, EdgeLayout layout, bool pairedWeights) =>
        UvuConvolutionFunction.Forward(_kernel!, channelsLast.contiguous(), x2.contiguous(), weights.contiguous(), layout, pairedWeights);

    /// <summary>The reverse of <see cref="ConvolveRecorded"/> (same inputs): ∂L/∂ of the features, the harmonics and
    /// the weights.</summary>
    internal (Tensor X, Tensor Sh, Tensor W) ConvolveReverse(Tensor channelsLast, Tensor x2, Tensor weights, EdgeLayout layout, bool pairedWeights, Tensor gy) =>
        UvuConvolutionFunction.Backward(_kernel!, channelsLast.contiguous(), x2.contiguous(), weights.contiguous(), layout, pairedWeights, gy);

    /// <summary>The kernel's messages [N, cols, u] → e3nn's layout [N, IrrepsOut.Dim]. The kernel's column blocks are the
    /// paths in the order of their outputs, one output entry each: channels-last rows of <see cref="IrrepsOut"/>.</summary>
    public Tensor FromKernelLayout(Tensor messages) => ChannelsLast.ToIrrepsLayout(messages, IrrepsOut);

    /// <summary>
    /// Messages summed onto their receivers: x1 [E, in1.Dim] (sender features per edge), x2 [E, in2.Dim],
    /// weights [E, WeightCount] → [nodes, IrrepsOut.Dim] in e3nn's layout.
    /// </summary>
    public Tensor ForwardScatter(Tensor x1, Tensor x2, Tensor weights, Tensor receiver, long nodes) =>
        Forward(x1, x2, weights, nodes, y => zeros(nodes, y.shape[1], y.shape[2], dtype: y.dtype, device: y.device).index_add_(0, receiver, y, 1.0));

    /// <summary>As <see cref="ForwardScatter"/>, the sum over neighbours taken through the graph's slot table.</summary>
    public Tensor Forward(Tensor x1, Tensor x2, Tensor weights, EdgeLayout layout) =>
        Forward(x1, x2, weights, layout.Nodes, layout.SumOverReceivers);

    private Tensor Forward(Tensor x1, Tensor x2, Tensor weights, long nodes, Func<Tensor, Tensor> sumOverReceivers)
    {
        long e = x1.shape[0];
        int mul = _in1[_paths[0].In1].Mul;
        // Weights are laid out path-major, channel-minor: [E, paths, mul]; channel-major is what the product needs.
        var w = weights.view(e, _paths.Length, mul).transpose(1, 2);                     // [E, u, paths]
        var outBlocks = new Tensor?[IrrepsOut.Count];
        var inputBlocks = _in1.Blocks(x1);
        foreach (var g in _groups)
        {
            int d1 = _in1[g.In1].Ir.Dim, n = g.Paths.Length;
            // The channel weights are folded into the features first, z[e,u,(k,a)] = w[e,u,k] x1[e,u,a]; one batched
            // product with the per-edge coupling [E, (k,a), cols] then gives every path's columns at once.
            var coupling = x2.matmul(g.Coupling).view(e, n * d1, g.Columns);             // [E, paths·d1, cols]
            var xb = inputBlocks[g.In1].view(e, mul, 1, d1);                              // [E, u, 1, d1]
            var wg = n == _paths.Length ? w : w.index_select(2, g.PathIndices);          // [E, u, paths]
            var z = (wg.unsqueeze(3) * xb).view(e, mul, n * d1);                         // [E, u, paths·d1]
            var y = z.bmm(coupling);                                                     // [E, u, cols]
            var summed = sumOverReceivers(y);                                           // [N, u, cols]
            var pathBlocks = summed.split(g.Paths.Select(p => (long)IrrepsOut[p.Out].Ir.Dim).ToArray(), 2);
            for (int k = 0; k < g.Paths.Length; k++)
            {
                int d3 = IrrepsOut[g.Paths[k].Out].Ir.Dim;
                outBlocks[g.Paths[k].Out] = pathBlocks[k].reshape(nodes, mul * d3);
            }
        }
        return cat(outBlocks.Select(b => b!).ToArray(), 1);
    }
}
