using MDEngine.ML.IO;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// The Agnesi distance transform of MACE-MPA-0 and later models (mace-torch's <c>AgnesiTransform</c>, after the
/// radial transforms of ACEpotentials.jl, Witt et al., J. Chem. Phys. 159, 164101 (2023)): the Bessel basis sees
/// t(r) = 1 / (1 + a (r/r₀)^q / (1 + (r/r₀)^(q−p))), r₀ the mean covalent radius of the pair, instead of r, which
/// spreads the basis over the chemically relevant distances of each pair of elements. q, p, a and the radii are
/// read from the model.
/// </summary>
internal sealed class AgnesiTransform
{
    private readonly double _q, _p, _a;
    private readonly Tensor _covalentRadii; // [Z]

    public AgnesiTransform(IReadOnlyDictionary<string, SafeTensor> weights, string prefix, E3nn.TensorOptions options)
    {
        SafeTensor T(string name) => weights.TryGetValue(prefix + name, out var t) ? t : throw new MaceModelException($"the model lacks '{prefix}{name}'");
        _q = T("q").Data[0]; _p = T("p").Data[0]; _a = T("a").Data[0];
        _covalentRadii = options.Make(T("covalent_radii").Data, T("covalent_radii").Data.Length);
    }

    /// <summary>lengths [E, 1], zSender/zReceiver [E] atomic numbers (int64) → [E, 1].</summary>
    public Tensor Forward(Tensor lengths, Tensor zSender, Tensor zReceiver)
    {
        var r0 = (0.5 * (_covalentRadii.index_select(0, zSender) + _covalentRadii.index_select(0, zReceiver))).unsqueeze(1);
        var x = lengths / r0;
        return (1.0 + _a * x.pow(_q) / (1.0 + x.pow(_q - _p))).reciprocal();
    }
}
