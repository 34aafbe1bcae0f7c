using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// e3nn's <c>FullyConnectedTensorProduct</c> ("uvw") of node features with one-hot element attributes (in2 = V×0e),
/// MACE's element-dependent self-connection. With a one-hot second input the product reduces to an
/// element-selected channel mix: out[n,w,m] = Σ_u x[n,u,m] W[u, elem(n), w] / √(fan-in), fan-in = Σ mul1·mul2 over
/// the paths into that output. Weights are laid out per path as [mul1, mul2, mul_out].
/// </summary>
public sealed class ScalarTensorProduct
{
    private readonly Irreps _in1, _out;
    private readonly (int[] Inputs, LayerWeight? Weight)[] _paths; // per output: inputs, weight [V, Σmul1, mul_out]
    private readonly int _elements;

    public Irreps IrrepsIn1 => _in1;
    public Irreps IrrepsOut => _out;

    /// <summary>Per output entry: the input entries that feed it and their stacked weights [elements, Σ mul_in, mul_out]
    /// (normalisation folded in), or null for an output nothing reaches.</summary>
    internal IReadOnlyList<(int[] Inputs, Tensor? Weight)> PathWeights => _paths.Select(p => (p.Inputs, p.Weight?.Value)).ToArray();

    public static int WeightCount(Irreps in1, int elements, Irreps irrepsOut) =>
        in1.Sum(a => irrepsOut.Where(b => b.Ir == a.Ir).Sum(b => a.Mul * elements * b.Mul));

    public ScalarTensorProduct(Irreps in1, int elements, Irreps irrepsOut, double[] weight, TensorOptions options)
        : this(in1, elements, irrepsOut, TensorOptions.Raw(weight), options) { }

    /// <param name="weight">The flat e3nn weight: a float64 host tensor (constant) or a trainable parameter.</param>
    public ScalarTensorProduct(Irreps in1, int elements, Irreps irrepsOut, Tensor weight, TensorOptions options)
    {
        _in1 = in1; _out = irrepsOut; _elements = elements;
        if (weight.numel() != WeightCount(in1, elements, irrepsOut)) throw new ArgumentException($"self-connection {in1} x {elements}x0e -> {irrepsOut} needs {WeightCount(in1, elements, irrepsOut)} weights, got {weight.numel()}");
        var pathOffset = new Dictionary<(int, int), int>();
        int offset = 0;
        for (int i = 0; i < in1.Count; i++)
            for (int o = 0; o < irrepsOut.Count; o++)
                if (in1[i].Ir == irrepsOut[o].Ir) { pathOffset[(i, o)] = offset; offset += in1[i].Mul * elements * irrepsOut[o].Mul; }
        _paths = new (int[], LayerWeight?)[irrepsOut.Count];
        for (int o = 0; o < irrepsOut.Count; o++)
        {
            var inputs = Enumerable.Range(0, in1.Count).Where(i => in1[i].Ir == irrepsOut[o].Ir).ToArray();
            int mulIn = inputs.Sum(i => in1[i].Mul), mulOut = irrepsOut[o].Mul;
            if (mulIn == 0) { _paths[o] = (inputs, null); continue; }
            double alpha = 1.0 / Math.Sqrt(mulIn * elements);
            // Each path's block is [mul1, elements, mul_out]; stacked over the inputs and with the element axis first
            // it is the [elements, Σ mul1, mul_out] stack of per-element channel mixes.
            var blocks = inputs.Select(i => (Start: pathOffset[(i, o)], Mul: in1[i].Mul)).ToArray();
            _paths[o] = (inputs, new LayerWeight(weight, raw =>
            {
                var w = raw.view(-1);
                var stacked = cat(blocks.Select(b => w.narrow(0, b.Start, b.Mul * elements * mulOut).view(b.Mul, elements, mulOut)).ToArray(), 0);
                return (stacked * alpha).permute(1, 0, 2).contiguous();
            }, options));
        }
    }

    /// <summary>x: [N, in1.Dim], elements: [N] indices into the model's element list → [N, out.Dim].
    /// <paramref name="singleElement"/>: the element of every node when they share one (then one matrix product,
    /// without a per-node copy of the weights).</summary>
    public Tensor Forward(Tensor x, Tensor elements, int? singleElement = null)
    {
        long n = x.shape[0];
        var inputBlocks = _in1.Blocks(x);
        var blocks = new List<Tensor>();
        for (int o = 0; o < _out.Count; o++)
        {
            var (inputs, layerWeight) = _paths[o];
            int d = _out[o].Ir.Dim, mulOut = _out[o].Mul;
            var weight = layerWeight?.Value;
            if (weight is null) { blocks.Add(zeros(n, mulOut * d, dtype: x.dtype, device: x.device)); continue; }
            var input = cat(inputs.Select(i => inputBlocks[i].view(n, _in1[i].Mul, _in1[i].Ir.Dim)).ToArray(), 1); // [N, u, d]
            if (singleElement is int only)
            {
                blocks.Add(input.transpose(1, 2).reshape(n * d, -1).mm(weight[only]).view(n, d, mulOut).transpose(1, 2).reshape(n, mulOut * d));
                continue;
            }
            var w = weight.index_select(0, elements);                                                                                   // [N, u, w]
            blocks.Add(input.transpose(1, 2).bmm(w).transpose(1, 2).reshape(n, mulOut * d));
        }
        return blocks.Count == 1 ? blocks[0] : cat(blocks.ToArray(), 1);
    }
}
