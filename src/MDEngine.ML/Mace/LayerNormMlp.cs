using MDEngine.ML.E3nn;
using MDEngine.ML.IO;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// mace-torch's <c>RadialMLP</c> (after eSEN/FairChem): torch Linear layers with biases, each hidden one followed by
/// LayerNorm (ε = 1e-5, affine) and SiLU, i.e. <c>net.0</c> Linear, <c>net.1</c> LayerNorm, <c>net.2</c> SiLU,
/// <c>net.3</c> Linear, …. Read from the state dict under <c>PREFIX.net.K.weight/bias</c>.
/// </summary>
internal sealed class LayerNormMlp
{
    private const double LayerNormEpsilon = 1e-5;
    private readonly (Tensor Weight, Tensor Bias, Tensor? NormWeight, Tensor? NormBias)[] _layers;

    public int InputSize { get; }
    public int OutputSize { get; }

    public LayerNormMlp(IReadOnlyDictionary<string, SafeTensor> weights, string prefix, TensorOptions options)
    {
        var layers = new List<(Tensor, Tensor, Tensor?, Tensor?)>();
        int k = 0;
        while (weights.TryGetValue($"{prefix}net.{k}.weight", out var w) && w.Shape.Length == 2)
        {
            var b = weights.TryGetValue($"{prefix}net.{k}.bias", out var bt) ? bt : throw new MaceModelException($"the model lacks '{prefix}net.{k}.bias'");
            Tensor? normWeight = null, normBias = null;
            if (weights.TryGetValue($"{prefix}net.{k + 1}.weight", out var nw) && nw.Shape.Length == 1)
            {
                normWeight = options.Make(nw.Data, nw.Data.Length);
                normBias = options.Make(weights[$"{prefix}net.{k + 1}.bias"].Data, nw.Data.Length);
                k += 3; // Linear, LayerNorm, SiLU
            }
            else k += 1;
            // torch's Linear stores [out, in] and computes x Wᵀ + b.
            layers.Add((options.Make(w.Data, w.Shape[0], w.Shape[1]).t().contiguous(), options.Make(b.Data, b.Data.Length), normWeight, normBias));
            if (layers.Count == 1) InputSize = (int)w.Shape[1];
            OutputSize = (int)w.Shape[0];
        }
        if (layers.Count == 0) throw new MaceModelException($"the model lacks '{prefix}net.0.weight'");
        _layers = [.. layers];
    }

    public Tensor Forward(Tensor x)
    {
        foreach (var (weight, bias, normWeight, normBias) in _layers)
        {
            x = x.matmul(weight) + bias;
            if (normWeight is null) continue;
            x = nn.functional.layer_norm(x, [x.shape[^1]], normWeight, normBias, LayerNormEpsilon);
            x = nn.functional.silu(x);
        }
        return x;
    }
}
