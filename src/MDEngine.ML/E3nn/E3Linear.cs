using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// e3nn's equivariant <c>o3.Linear</c> without biases: every output block is a channel mix of the input blocks of
/// the same irrep. The flat weight holds one [mul_in, mul_out] matrix per path, paths ordered by input block then
/// output block; each output is scaled by 1/√(fan-in), fan-in = the total input multiplicity reaching it
/// (path_normalization "element").
/// </summary>
public sealed class E3Linear
{
    private readonly Irreps _in, _out;
    private readonly (int[] Inputs, LayerWeight? Weight)[] _paths;

    public Irreps IrrepsIn => _in;
    public Irreps IrrepsOut => _out;

    /// <summary>Per output entry: the input entries that feed it and their stacked weight [Σ mul_in, mul_out] (1/√fan-in
    /// folded in), or null for an output nothing reaches.</summary>
    internal IReadOnlyList<(int[] Inputs, Tensor? Weight)> PathWeights => _paths.Select(p => (p.Inputs, p.Weight?.Value)).ToArray();

    public static int WeightCount(Irreps irrepsIn, Irreps irrepsOut) =>
        irrepsIn.Sum(a => irrepsOut.Where(b => b.Ir == a.Ir).Sum(b => a.Mul * b.Mul));

    public E3Linear(Irreps irrepsIn, Irreps irrepsOut, double[] weight, TensorOptions options)
        : this(irrepsIn, irrepsOut, TensorOptions.Raw(weight), options) { }

    /// <param name="weight">The flat e3nn weight: a float64 host tensor (constant) or a trainable parameter.</param>
    public E3Linear(Irreps irrepsIn, Irreps irrepsOut, Tensor weight, TensorOptions options)
    {
        _in = irrepsIn; _out = irrepsOut;
        int expected = WeightCount(irrepsIn, irrepsOut);
        if (weight.numel() != expected) throw new ArgumentException($"Linear {irrepsIn} -> {irrepsOut} needs {expected} weights, got {weight.numel()}");
        // Offsets of each (input, output) path in the flat weight, in e3nn's instruction order.
        var pathOffset = new Dictionary<(int, int), int>();
        int offset = 0;
        for (int i = 0; i < irrepsIn.Count; i++)
            for (int o = 0; o < irrepsOut.Count; o++)
                if (irrepsIn[i].Ir == irrepsOut[o].Ir) { pathOffset[(i, o)] = offset; offset += irrepsIn[i].Mul * irrepsOut[o].Mul; }
        _paths = new (int[], LayerWeight?)[irrepsOut.Count];
        for (int o = 0; o < irrepsOut.Count; o++)
        {
            var inputs = Enumerable.Range(0, irrepsIn.Count).Where(i => irrepsIn[i].Ir == irrepsOut[o].Ir && irrepsIn[i].Mul > 0).ToArray();
            int fanIn = inputs.Sum(i => irrepsIn[i].Mul), mulOut = irrepsOut[o].Mul;
            if (fanIn == 0 || mulOut == 0) { _paths[o] = (inputs, null); continue; }
            double alpha = 1.0 / Math.Sqrt(fanIn);
            // The [fan-in, mul_out] matrix of this output: the inputs' [mul_in, mul_out] blocks stacked, times α.
            var blocks = inputs.Select(i => (Start: pathOffset[(i, o)], Count: irrepsIn[i].Mul * mulOut)).ToArray();
            _paths[o] = (inputs, new LayerWeight(weight, raw =>
            {
                var w = raw.view(-1);
                var stacked = blocks.Length == 1 ? w.narrow(0, blocks[0].Start, blocks[0].Count) : cat(blocks.Select(b => w.narrow(0, b.Start, b.Count)).ToArray(), 0);
                return stacked.view(fanIn, mulOut) * alpha;
            }, options));
        }
    }

    /// <summary>x: [N, IrrepsIn.Dim] → [N, IrrepsOut.Dim].</summary>
    public Tensor Forward(Tensor x)
    {
        long n = x.shape[0];
        var inputBlocks = _in.Blocks(x);
        var blocks = new List<Tensor>(_out.Count);
        for (int o = 0; o < _out.Count; o++)
        {
            var (inputs, layerWeight) = _paths[o];
            int d = _out[o].Ir.Dim, mulOut = _out[o].Mul;
            var weight = layerWeight?.Value;
            if (weight is null) { blocks.Add(zeros(n, mulOut * d, dtype: x.dtype, device: x.device)); continue; }
            Tensor input = inputs.Length == 1
                ? Block(inputBlocks, inputs[0], n)
                : cat(inputs.Select(i => Block(inputBlocks, i, n)).ToArray(), 1);
            if (d == 1) blocks.Add(input.reshape(n, -1).matmul(weight));
            // One [N·d, fan-in] × [fan-in, mul_out] product (a batched product over N would be N tiny GEMMs).
            else blocks.Add(input.transpose(1, 2).reshape(n * d, -1).mm(weight).view(n, d, mulOut).transpose(1, 2).reshape(n, mulOut * d));
        }
        return blocks.Count == 1 ? blocks[0] : cat(blocks.ToArray(), 1);
    }

    private Tensor Block(Tensor[] blocks, int i, long n) => blocks[i].view(n, _in[i].Mul, _in[i].Ir.Dim);
}
