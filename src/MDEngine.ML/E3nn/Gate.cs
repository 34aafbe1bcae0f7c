using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// e3nn's gate nonlinearity (<c>nn.Gate</c>):
///   (⊕_i φ_i(x_i)) ⊕ (⊕_j ψ_j(g_j) y_j),
/// scalars x_i through their activations φ_i, and each gated irrep y_j multiplied by its gate scalar g_j through
/// the gate activation ψ_j (every activation normalised by <see cref="Normalize2Mom"/>; parities as in
/// <see cref="Activation"/>; a gated irrep of parity p times a gate of parity q has parity p·q).
///
/// Layout (e3nn's <c>_Sortcut</c>): the input is scalars + gates + gated, each simplified, then sorted by irrep
/// (stable) and simplified: <see cref="IrrepsIn"/>. The output is the activated scalars followed by the gated
/// irreps, split so that gated and gate multiplicities line up (e3nn's <c>ElementwiseTensorProduct</c>).
/// </summary>
public sealed class Gate
{
    private readonly Activation _scalars, _gates;
    private readonly Irreps _gated;
    private readonly (int Offset, int Dim)[][] _slices;             // per part (scalars, gates, gated): its blocks in the input

    public Irreps IrrepsIn { get; }
    public Irreps IrrepsOut { get; }
    public Irreps IrrepsScalars { get; }
    public Irreps IrrepsGates { get; }
    public Irreps IrrepsGated => _gated;

    public Gate(Irreps scalars, Func<Tensor, Tensor>[] scalarActs, Irreps gates, Func<Tensor, Tensor>[] gateActs, Irreps gated)
    {
        if (scalars.Any(m => m.Ir.L != 0)) throw new ArgumentException($"the gate's scalars {scalars} must be scalars");
        if (gates.Any(m => m.Ir.L != 0)) throw new ArgumentException($"the gates {gates} must be scalars");
        if (gates.NumIrreps != gated.NumIrreps) throw new ArgumentException($"{gates.NumIrreps} gates for {gated.NumIrreps} gated irreps");
        // Each part is simplified to be cut out of the sorted input (e3nn's _Sortcut); the activations follow the blocks
        // as given (e3nn builds its Activation on the irreps as passed), which have the same flat layout.
        IrrepsScalars = scalars.Simplify();
        IrrepsGates = gates.Simplify();
        _gated = gated.Simplify();
        if (scalarActs.Length != scalars.Count) throw new ArgumentException($"{scalarActs.Length} scalar activations for the {scalars.Count} blocks of {scalars}");
        if (gateActs.Length != gates.Count) throw new ArgumentException($"{gateActs.Length} gate activations for the {gates.Count} blocks of {gates}");

        // Sorted input layout and where each part's blocks land in it.
        var parts = new[] { IrrepsScalars, IrrepsGates, _gated };
        var all = new Irreps(parts.SelectMany(p => p));
        var (sorted, permutation) = all.Sort();
        IrrepsIn = sorted.Simplify();
        var sortedOffsets = sorted.Offsets();
        _slices = new (int, int)[3][];
        int block = 0;
        for (int p = 0; p < 3; p++)
        {
            _slices[p] = new (int, int)[parts[p].Count];
            for (int k = 0; k < parts[p].Count; k++, block++) _slices[p][k] = (sortedOffsets[permutation[block]], parts[p][k].Dim);
        }

        _scalars = new Activation(scalars, scalarActs);
        _gates = new Activation(gates, gateActs);

        // Gated copy j is multiplied by gate j; an output block runs while both the gated irrep and the gate irrep stay
        // the same (the blocks of e3nn's ElementwiseTensorProduct of the simplified irreps).
        var gateIrreps = _gates.IrrepsOut.SelectMany(m => Enumerable.Repeat(m.Ir, m.Mul)).ToArray();
        var gatedIrreps = _gated.SelectMany(m => Enumerable.Repeat(m.Ir, m.Mul)).ToArray();
        var outs = new List<MulIrrep>();
        for (int j = 0; j < gatedIrreps.Length; j++)
        {
            var ir = new Irrep(gatedIrreps[j].L, gatedIrreps[j].P * gateIrreps[j].P);
            bool sameChunk = j > 0 && gatedIrreps[j] == gatedIrreps[j - 1] && gateIrreps[j] == gateIrreps[j - 1];
            if (sameChunk) outs[^1] = new MulIrrep(outs[^1].Mul + 1, ir);
            else outs.Add(new MulIrrep(1, ir));
        }
        IrrepsOut = new Irreps(_scalars.IrrepsOut.Concat(outs));
    }

    /// <summary>x [N, IrrepsIn.Dim] → [N, IrrepsOut.Dim].</summary>
    public Tensor Forward(Tensor x)
    {
        if (x.shape[^1] != IrrepsIn.Dim) throw new ArgumentException($"input of width {x.shape[^1]}, {IrrepsIn} has dimension {IrrepsIn.Dim}");
        var scalars = _scalars.Forward(Take(x, _slices[0]));
        if (_slices[1].Length == 0) return scalars;
        var gates = _gates.Forward(Take(x, _slices[1]));                              // [N, number of gated copies]
        long n = x.shape[0];
        var blocks = new List<Tensor>(_gated.Count + 1) { scalars };
        int gate = 0;
        for (int k = 0; k < _gated.Count; k++)
        {
            var (offset, dim) = _slices[2][k];
            int mul = _gated[k].Mul, d = _gated[k].Ir.Dim;
            var y = x.narrow(-1, offset, dim).view(n, mul, d) * gates.narrow(-1, gate, mul).unsqueeze(2);
            blocks.Add(y.view(n, dim));
            gate += mul;
        }
        return cat(blocks.ToArray(), -1);
    }

    private static Tensor Take(Tensor x, (int Offset, int Dim)[] slices) =>
        slices.Length == 1 ? x.narrow(-1, slices[0].Offset, slices[0].Dim)
        : slices.Length == 0 ? x.narrow(-1, 0, 0)
        : cat(slices.Select(s => x.narrow(-1, s.Offset, s.Dim)).ToArray(), -1);
}
