using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// e3nn's general <c>o3.TensorProduct(irreps_in1, irreps_in2, irreps_out, instructions)</c>, driven by a list of
/// <see cref="TensorProductInstruction"/>s. For an instruction (i₁, i₂, o, mode) with 3j block C of shape
/// (2l₁+1, 2l₂+1, 2l₃+1) and normalisation coefficient α:
///
///   uvw: z[w,k] += α Σ_{u,v} W[u,v,w] Σ_{ij} C[i,j,k] x[u,i] y[v,j]
///   uvu: z[u,k] += α Σ_v W[u,v] Σ_{ij} C[i,j,k] x[u,i] y[v,j]
///   uvv: z[v,k] += α Σ_u W[u,v] Σ_{ij} C[i,j,k] x[u,i] y[v,j]
///   uuw: z[w,k] += α Σ_u W[u,w] Σ_{ij} C[i,j,k] x[u,i] y[u,j]
///   uuu: z[u,k] += α W[u] Σ_{ij} C[i,j,k] x[u,i] y[u,j]
///
/// (W = 1 for an instruction without weight). α = √(a · path_weight / f): a = d_out, d₁d₂ or 1
/// (<see cref="IrrepNormalization"/>), f the fan-in of <see cref="PathNormalization"/> (e3nn's defaults:
/// "component", "element"; unit input and output variances). Outputs no instruction reaches are zero.
///
/// Weights: the per-instruction weights (<see cref="TensorProductInstruction.WeightShape"/>) flattened and
/// concatenated in instruction order, <see cref="WeightCount"/> numbers. Either shared (internal, given at
/// construction) or external, passed to <see cref="Forward"/> as [N, WeightCount] (one set per sample) or
/// [WeightCount] (one set for all).
/// </summary>
public sealed class TensorProduct
{
    private sealed record Path(TensorProductInstruction Ins, double Alpha, int WeightOffset, int WeightCount, int[] WeightShape, Tensor Coupling);

    private readonly Path[] _paths;
    private readonly int[] _off1, _off2;
    private readonly Tensor? _sharedWeights;

    public Irreps IrrepsIn1 { get; }
    public Irreps IrrepsIn2 { get; }
    public Irreps IrrepsOut { get; }
    public IReadOnlyList<TensorProductInstruction> Instructions { get; }
    public int WeightCount { get; }

    /// <summary>The normalisation coefficient α of each instruction, in order.</summary>
    public double[] PathCoefficients => _paths.Select(p => p.Alpha).ToArray();

    /// <summary>True when the weights were given at construction (shared by every sample).</summary>
    public bool HasSharedWeights => _sharedWeights is not null;

    /// <param name="sharedWeights">the flat weights shared by all samples; null for external weights (or none needed)</param>
    /// <param name="w3j">where the 3j blocks come from; computed (<see cref="Wigner3jSymbols"/>) when null</param>
    public TensorProduct(Irreps irrepsIn1, Irreps irrepsIn2, Irreps irrepsOut, IEnumerable<TensorProductInstruction> instructions,
        TensorOptions options, double[]? sharedWeights = null, IrrepNormalization irrepNormalization = IrrepNormalization.Component,
        PathNormalization pathNormalization = PathNormalization.Element, Wigner3j? w3j = null)
    {
        IrrepsIn1 = irrepsIn1; IrrepsIn2 = irrepsIn2; IrrepsOut = irrepsOut;
        var list = instructions.ToArray();
        Instructions = list;
        _off1 = irrepsIn1.Offsets(); _off2 = irrepsIn2.Offsets();
        foreach (var ins in list) Validate(ins);
        var paths = new List<Path>();
        int offset = 0;
        foreach (var ins in list)
        {
            Irrep a = irrepsIn1[ins.In1].Ir, b = irrepsIn2[ins.In2].Ir, c = irrepsOut[ins.Out].Ir;
            double alpha = irrepNormalization switch
            {
                IrrepNormalization.Component => c.Dim,
                IrrepNormalization.Norm => a.Dim * b.Dim,
                _ => 1.0,
            };
            double fan = pathNormalization switch
            {
                PathNormalization.Element => list.Where(i => i.Out == ins.Out).Sum(i => (double)i.FanIn(irrepsIn1, irrepsIn2)),
                PathNormalization.Path => ins.FanIn(irrepsIn1, irrepsIn2) * (double)list.Count(i => i.Out == ins.Out),
                _ => 1.0,
            };
            if (fan > 0) alpha /= fan;
            alpha = Math.Sqrt(alpha * ins.PathWeight);
            var shape = ins.WeightShape(irrepsIn1, irrepsIn2, irrepsOut);
            int count = ins.HasWeight ? shape.Aggregate(1, (x, y) => x * y) : 0;
            var block = (w3j is null ? Wigner3jSymbols.Compute(a.L, b.L, c.L) : w3j.Get(a.L, b.L, c.L)).Select(v => alpha * v).ToArray();
            paths.Add(new Path(ins, alpha, offset, count, shape, options.Make(block, a.Dim, b.Dim, c.Dim)));
            offset += count;
        }
        _paths = paths.ToArray();
        WeightCount = offset;
        if (sharedWeights is not null)
        {
            if (sharedWeights.Length != WeightCount) throw new ArgumentException($"the tensor product needs {WeightCount} weights, got {sharedWeights.Length}");
            _sharedWeights = options.Make(sharedWeights, WeightCount);
        }
    }

    /// <summary>e3nn's <c>FullyConnectedTensorProduct</c>: a weighted "uvw" path for every (i₁, i₂, o) whose output
    /// irrep is in the product of the input irreps.</summary>
    public static TensorProduct FullyConnected(Irreps irrepsIn1, Irreps irrepsIn2, Irreps irrepsOut, TensorOptions options, double[]? sharedWeights = null)
    {
        var instructions = new List<TensorProductInstruction>();
        for (int i = 0; i < irrepsIn1.Count; i++)
            for (int j = 0; j < irrepsIn2.Count; j++)
                for (int o = 0; o < irrepsOut.Count; o++)
                    if (irrepsIn1[i].Ir.Times(irrepsIn2[j].Ir).Contains(irrepsOut[o].Ir)) instructions.Add(new(i, j, o, "uvw", true));
        return new TensorProduct(irrepsIn1, irrepsIn2, irrepsOut, instructions, options, sharedWeights);
    }

    private void Validate(TensorProductInstruction ins)
    {
        if (ins.In1 < 0 || ins.In1 >= IrrepsIn1.Count || ins.In2 < 0 || ins.In2 >= IrrepsIn2.Count || ins.Out < 0 || ins.Out >= IrrepsOut.Count)
            throw new ArgumentException($"instruction {ins} points outside the irreps {IrrepsIn1} | {IrrepsIn2} | {IrrepsOut}");
        var (m1, m2, mo) = (IrrepsIn1[ins.In1], IrrepsIn2[ins.In2], IrrepsOut[ins.Out]);
        if (m1.Ir.P * m2.Ir.P != mo.Ir.P || !Wigner3jSymbols.IsTriangle(m1.Ir.L, m2.Ir.L, mo.Ir.L))
            throw new ArgumentException($"instruction {ins}: {mo.Ir} is not in {m1.Ir} x {m2.Ir}");
        bool ok = ins.Mode switch
        {
            "uvw" => ins.HasWeight,
            "uvu" => mo.Mul == m1.Mul,
            "uvv" => mo.Mul == m2.Mul,
            "uuw" => m1.Mul == m2.Mul && (ins.HasWeight || mo.Mul == 1),
            "uuu" => m1.Mul == m2.Mul && m2.Mul == mo.Mul,
            _ => throw new ArgumentException($"unknown connection mode '{ins.Mode}' (one of {string.Join(", ", TensorProductInstruction.Modes)})"),
        };
        if (!ok) throw new ArgumentException($"instruction {ins}: multiplicities {m1.Mul}, {m2.Mul} -> {mo.Mul} (or the missing weight) do not fit mode {ins.Mode}");
    }

    /// <summary>x1 [N, IrrepsIn1.Dim], x2 [N, IrrepsIn2.Dim] → [N, IrrepsOut.Dim]. <paramref name="weights"/>:
    /// [N, WeightCount] or [WeightCount] when the weights are external, null when shared or none are needed.</summary>
    public Tensor Forward(Tensor x1, Tensor x2, Tensor? weights = null)
    {
        long n = x1.shape[0];
        if (x2.shape[0] != n) throw new ArgumentException($"x1 has {n} rows, x2 {x2.shape[0]}");
        if (x1.shape[1] != IrrepsIn1.Dim || x2.shape[1] != IrrepsIn2.Dim)
            throw new ArgumentException($"inputs of width {x1.shape[1]} and {x2.shape[1]}, the irreps need {IrrepsIn1.Dim} and {IrrepsIn2.Dim}");
        if (weights is not null && _sharedWeights is not null) throw new ArgumentException("the weights are shared (given at construction)");
        var w = weights ?? _sharedWeights;
        if (w is null && WeightCount > 0) throw new ArgumentException($"the tensor product needs {WeightCount} external weights");
        bool perSample = w is not null && w.dim() == 2;
        if (w is not null && w.shape[^1] != WeightCount) throw new ArgumentException($"weights of width {w.shape[^1]}, the tensor product needs {WeightCount}");
        if (perSample && w!.shape[0] != n) throw new ArgumentException($"{w.shape[0]} rows of weights for {n} samples");

        var outBlocks = new Tensor?[IrrepsOut.Count];
        foreach (var p in _paths)
        {
            var ins = p.Ins;
            var m1 = IrrepsIn1[ins.In1];
            var m2 = IrrepsIn2[ins.In2];
            var x = x1.narrow(1, _off1[ins.In1], m1.Dim).view(n, m1.Mul, m1.Ir.Dim);       // [n, u, i]
            var y = x2.narrow(1, _off2[ins.In2], m2.Dim).view(n, m2.Mul, m2.Ir.Dim);       // [n, v, j]
            Tensor? pw = null;
            if (ins.HasWeight)
            {
                var flat = perSample ? w!.narrow(1, p.WeightOffset, p.WeightCount) : w!.narrow(0, p.WeightOffset, p.WeightCount);
                pw = perSample ? flat.reshape([n, .. p.WeightShape.Select(s => (long)s)]) : flat.reshape(p.WeightShape.Select(s => (long)s).ToArray());
            }
            string ws = perSample ? "n" : "";
            Tensor z = ins.Mode switch
            {
                "uvw" => einsum($"nui,nvj,ijk,{ws}uvw->nwk", x, y, p.Coupling, pw!),
                "uvu" => pw is null ? einsum("nui,nvj,ijk->nuk", x, y, p.Coupling) : einsum($"nui,nvj,ijk,{ws}uv->nuk", x, y, p.Coupling, pw),
                "uvv" => pw is null ? einsum("nui,nvj,ijk->nvk", x, y, p.Coupling) : einsum($"nui,nvj,ijk,{ws}uv->nvk", x, y, p.Coupling, pw),
                "uuw" => pw is null ? einsum("nui,nuj,ijk->nk", x, y, p.Coupling).unsqueeze(1) : einsum($"nui,nuj,ijk,{ws}uw->nwk", x, y, p.Coupling, pw),
                _ => pw is null ? einsum("nui,nuj,ijk->nuk", x, y, p.Coupling) : einsum($"nui,nuj,ijk,{ws}u->nuk", x, y, p.Coupling, pw),
            };
            var flatZ = z.reshape(n, IrrepsOut[ins.Out].Dim);
            outBlocks[ins.Out] = outBlocks[ins.Out] is null ? flatZ : outBlocks[ins.Out]! + flatZ;
        }
        var blocks = new Tensor[IrrepsOut.Count];
        for (int o = 0; o < IrrepsOut.Count; o++)
            blocks[o] = outBlocks[o] ?? zeros(n, IrrepsOut[o].Dim, dtype: x1.dtype, device: x1.device);
        return blocks.Length == 0 ? zeros(n, 0, dtype: x1.dtype, device: x1.device) : blocks.Length == 1 ? blocks[0] : cat(blocks, 1);
    }
}
