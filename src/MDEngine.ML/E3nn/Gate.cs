using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// e3nn's gated non-linearity (<c>nn.Gate</c>; Weiler et al., NeurIPS 2018): scalars pass through their activations;
/// every copy of a higher irrep is multiplied by its own gate scalar passed through the gate activation, which keeps
/// equivariance (a scalar times an irrep is that irrep). The input holds the scalars, the gates and the gated irreps
/// sorted by irrep and simplified, as e3nn lays it out; the output is the activated scalars then the gated irreps.
/// Activations include e3nn's second-moment normalisation (pass <c>x => c * f(x)</c>).
/// </summary>
public sealed class Gate
{
    private readonly Irreps _scalars, _gates, _gated;
    private readonly Func<Tensor, Tensor>[] _scalarActs, _gateActs;
    private readonly (int Offset, int Dim)[] _scalarSlices, _gateSlices, _gatedSlices;

    public Irreps IrrepsIn { get; }
    public Irreps IrrepsOut { get; }

    public Gate(Irreps scalars, Func<Tensor, Tensor>[] scalarActs, Irreps gates, Func<Tensor, Tensor>[] gateActs, Irreps gated)
    {
        if (scalars.Any(m => m.Ir.L != 0) || gates.Any(m => m.Ir.L != 0)) throw new ArgumentException("scalars and gates must be scalar irreps");
        if (scalarActs.Length != scalars.Count || gateActs.Length != gates.Count) throw new ArgumentException("one activation per scalar and gate block");
        if (gates.Count != gated.Count || gates.Zip(gated).Any(p => p.First.Mul != p.Second.Mul)) throw new ArgumentException($"gates {gates} do not match the gated irreps {gated}");
        _scalars = scalars; _gates = gates; _gated = gated; _scalarActs = scalarActs; _gateActs = gateActs;
        var all = new Irreps(scalars.Concat(gates).Concat(gated));
        var (sorted, permutation) = all.Sort();
        IrrepsIn = sorted.Simplify();
        IrrepsOut = new Irreps(scalars.Concat(gated));
        // Where each block of the unsorted concatenation sits in the sorted input.
        var sortedOffsets = sorted.Offsets();
        (int, int) Slice(int k) => (sortedOffsets[permutation[k]], all[k].Dim);
        _scalarSlices = Enumerable.Range(0, scalars.Count).Select(Slice).ToArray();
        _gateSlices = Enumerable.Range(scalars.Count, gates.Count).Select(Slice).ToArray();
        _gatedSlices = Enumerable.Range(scalars.Count + gates.Count, gated.Count).Select(Slice).ToArray();
    }

    /// <summary>x: [N, IrrepsIn.Dim] → [N, IrrepsOut.Dim].</summary>
    public Tensor Forward(Tensor x)
    {
        long n = x.shape[0];
        var blocks = new List<Tensor>();
        for (int k = 0; k < _scalars.Count; k++) blocks.Add(_scalarActs[k](x.narrow(1, _scalarSlices[k].Offset, _scalarSlices[k].Dim)));
        for (int k = 0; k < _gated.Count; k++)
        {
            var gate = _gateActs[k](x.narrow(1, _gateSlices[k].Offset, _gateSlices[k].Dim));                          // [N, mul]
            var gated = x.narrow(1, _gatedSlices[k].Offset, _gatedSlices[k].Dim).view(n, _gated[k].Mul, _gated[k].Ir.Dim);
            blocks.Add((gated * gate.unsqueeze(2)).view(n, _gated[k].Dim));
        }
        return blocks.Count == 1 ? blocks[0] : cat(blocks.ToArray(), 1);
    }
}
