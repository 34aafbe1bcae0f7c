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
    private readonly int[] _inOffsets;
    private readonly (int[] Inputs, Tensor? Weight)[] _paths;

    public Irreps IrrepsIn => _in;
    public Irreps IrrepsOut => _out;

    public static int WeightCount(Irreps irrepsIn, Irreps irrepsOut) =>
        irrepsIn.Sum(a => irrepsOut.Where(b => b.Ir == a.Ir).Sum(b => a.Mul * b.Mul));

    public E3Linear(Irreps irrepsIn, Irreps irrepsOut, double[] weight, TensorOptions options)
    {
        _in = irrepsIn; _out = irrepsOut; _inOffsets = irrepsIn.Offsets();
        int expected = WeightCount(irrepsIn, irrepsOut);
        if (weight.Length != expected) throw new ArgumentException($"Linear {irrepsIn} -> {irrepsOut} needs {expected} weights, got {weight.Length}");
        // Offsets of each (input, output) path in the flat weight, in e3nn's instruction order.
        var pathOffset = new Dictionary<(int, int), int>();
        int offset = 0;
        for (int i = 0; i < irrepsIn.Count; i++)
            for (int o = 0; o < irrepsOut.Count; o++)
                if (irrepsIn[i].Ir == irrepsOut[o].Ir) { pathOffset[(i, o)] = offset; offset += irrepsIn[i].Mul * irrepsOut[o].Mul; }
        _paths = new (int[], Tensor?)[irrepsOut.Count];
        for (int o = 0; o < irrepsOut.Count; o++)
        {
            var inputs = Enumerable.Range(0, irrepsIn.Count).Where(i => irrepsIn[i].Ir == irrepsOut[o].Ir && irrepsIn[i].Mul > 0).ToArray();
            int fanIn = inputs.Sum(i => irrepsIn[i].Mul), mulOut = irrepsOut[o].Mul;
            if (fanIn == 0 || mulOut == 0) { _paths[o] = (inputs, null); continue; }
            var w = new double[fanIn * mulOut];
            int row = 0;
            double alpha = 1.0 / Math.Sqrt(fanIn);
            foreach (int i in inputs)
            {
                int start = pathOffset[(i, o)];
                for (int u = 0; u < irrepsIn[i].Mul; u++, row++)
                    for (int v = 0; v < mulOut; v++) w[row * mulOut + v] = alpha * weight[start + u * mulOut + v];
            }
            _paths[o] = (inputs, options.Make(w, fanIn, mulOut));
        }
    }

    /// <summary>x: [N, IrrepsIn.Dim] → [N, IrrepsOut.Dim].</summary>
    public Tensor Forward(Tensor x)
    {
        long n = x.shape[0];
        var blocks = new List<Tensor>(_out.Count);
        for (int o = 0; o < _out.Count; o++)
        {
            var (inputs, weight) = _paths[o];
            int d = _out[o].Ir.Dim, mulOut = _out[o].Mul;
            if (weight is null) { blocks.Add(zeros(n, mulOut * d, dtype: x.dtype, device: x.device)); continue; }
            Tensor input = inputs.Length == 1
                ? Block(x, inputs[0])
                : cat(inputs.Select(i => Block(x, i)).ToArray(), 1);
            if (d == 1) blocks.Add(input.reshape(n, -1).matmul(weight));
            // One [N·d, fan-in] × [fan-in, mul_out] product (a batched product over N would be N tiny GEMMs).
            else blocks.Add(input.transpose(1, 2).reshape(n * d, -1).mm(weight).view(n, d, mulOut).transpose(1, 2).reshape(n, mulOut * d));
        }
        return blocks.Count == 1 ? blocks[0] : cat(blocks.ToArray(), 1);
    }

    private Tensor Block(Tensor x, int i) =>
        x.narrow(1, _inOffsets[i], _in[i].Dim).view(x.shape[0], _in[i].Mul, _in[i].Ir.Dim);
}
