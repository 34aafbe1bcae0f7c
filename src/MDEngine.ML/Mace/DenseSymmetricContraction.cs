using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// The symmetric contraction evaluated as mace-torch does: the highest order U tensor contracted with the weights and
/// one feature, then at each lower order the weighted U added and one more feature contracted (a Horner scheme).
/// Reference form; <see cref="SparseSymmetricContraction"/> is the fast one.
/// </summary>
public sealed class DenseSymmetricContraction : ISymmetricContraction
{
    private readonly SymmetricContractionWeights _c;
    private readonly Tensor[] _u;
    private readonly LayerWeight[] _w;

    public int OutDim => _c.OutDim;

    public DenseSymmetricContraction(SymmetricContractionWeights c, TensorOptions options)
        : this(c, c.W.Select(w => TensorOptions.Raw(w)).ToArray(), options) { }

    /// <param name="weights">W_ν for ν = 1..ν_max: float64 host tensors (constants) or trainable parameters.</param>
    public DenseSymmetricContraction(SymmetricContractionWeights c, Tensor[] weights, TensorOptions options)
    {
        _c = c;
        _u = Enumerable.Range(0, c.Correlation).Select(k => options.Make(c.U[k], c.UShapes[k])).ToArray();
        _w = Enumerable.Range(0, c.Correlation).Select(k =>
        {
            long[] shape = [c.Elements, c.Paths(k + 1), c.Channels];
            return new LayerWeight(weights[k], w => w.view(shape), options);
        }).ToArray();
    }

    /// <summary>x: [N, channels, d], elements: [N] → [N, channels·(2L+1)] (channel-major, as mace-torch's view).</summary>
    public Tensor Forward(Tensor x, Tensor elements)
    {
        const string featureLetters = "pqrstuvwxyz";
        string m = _c.L > 0 ? "m" : "";
        int nuMax = _c.Correlation;
        // out[b,c,M,i1..i(ν-1)] = Σ_{iν,k} U[M,i1..iν,k] W[e(b),k,c] x[b,c,iν]
        string idx = featureLetters[..nuMax];
        var w = _w[nuMax - 1].Value.index_select(0, elements);
        var result = einsum($"{m}{idx}k,bkc,bc{idx[^1]}->bc{m}{idx[..^1]}", _u[nuMax - 1], w, x);
        for (int nu = nuMax - 1; nu >= 1; nu--)
        {
            idx = featureLetters[..nu];
            var wn = _w[nu - 1].Value.index_select(0, elements);
            var weighted = einsum($"{m}{idx}k,bkc->bc{m}{idx}", _u[nu - 1], wn) + result;
            result = einsum($"bc{m}{idx},bc{idx[^1]}->bc{m}{idx[..^1]}", weighted, x);
        }
        return result.reshape(x.shape[0], -1);
    }
}

public interface ISymmetricContraction
{
    int OutDim { get; }
    Tensor Forward(Tensor x, Tensor elements);
}
