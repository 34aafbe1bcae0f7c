using MDEngine.ML.Kernels;
using MDEngine.ML.Graphs;
using MDEngine.ML.E3nn;
using MDEngine.ML.IO;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// The Ziegler–Biersack–Littmark screened nuclear repulsion that MACE-MPA-0, MACE-OMAT-0 and later foundation models
/// add at short range (mace-torch's <c>ZBLBasis</c>): for a pair of charges Z_u, Z_v at distance r,
/// V = (e²/4πε₀) Z_u Z_v / r · φ(r/a), a = 0.4543 · 0.529 Å / (Z_u^0.3 + Z_v^0.3) (prefactor and exponent read
/// from the model), φ(x) = Σ_k c_k exp(−d_k x) with the universal screening function's (c_k, d_k)
/// (Ziegler, Biersack and Littmark 1985), smoothly switched off by the polynomial envelope at the sum of the two
/// covalent radii. Half of each pair's energy goes to each atom of the pair.
/// </summary>
internal sealed class ZblRepulsion
{
    private const double CoulombConstant = 14.3996; // e²/4πε₀ in eV·Å, as mace-torch writes it
    private static readonly double[] Decays = [3.2, 0.9423, 0.4028, 0.2016];
    private readonly double[] _c;
    private readonly double _aExp, _aPrefactor;
    private readonly int _p;
    private readonly Tensor _covalentRadii; // [Z]

    public ZblRepulsion(IReadOnlyDictionary<string, SafeTensor> weights, string prefix, TensorOptions options)
    {
        SafeTensor T(string name) => weights.TryGetValue(prefix + name, out var t) ? t : throw new MaceModelException($"the model lacks '{prefix}{name}'");
        _c = T("c").Data;
        if (_c.Length != Decays.Length) throw new MaceModelException($"{prefix}c has {_c.Length} coefficients, expected {Decays.Length}");
        _aExp = T("a_exp").Data[0];
        _aPrefactor = T("a_prefactor").Data[0];
        _p = (int)T("p").Data[0];
        _covalentRadii = options.Make(T("covalent_radii").Data, T("covalent_radii").Data.Length);
    }

    /// <summary>[N] repulsion energy of every atom. lengths [E, 1]; zSender, zReceiver [E] atomic numbers (int64).</summary>
    public Tensor NodeEnergies(Tensor lengths, Tensor zSender, Tensor zReceiver, EdgeLayout graph)
    {
        var r = lengths.squeeze(1);
        var zu = zSender.to(r.dtype);
        var zv = zReceiver.to(r.dtype);
        var a = _aPrefactor * 0.529 / (zu.pow(_aExp) + zv.pow(_aExp));
        var x = r / a;
        Tensor phi = _c[0] * exp(-Decays[0] * x);
        for (int k = 1; k < Decays.Length; k++) phi = phi + _c[k] * exp(-Decays[k] * x);
        var rMax = _covalentRadii.index_select(0, zSender) + _covalentRadii.index_select(0, zReceiver);
        var v = 0.5 * CoulombConstant * zu * zv / r * phi * RadialBasis.PolynomialEnvelope(r / rMax, _p);
        return graph.SumOverReceivers(v.unsqueeze(1)).squeeze(1);
    }
}
