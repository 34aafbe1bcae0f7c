using static MDEngine.ML.TensorNet.CartesianTensors;
using static TorchSharp.torch;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// From node tensors to atomic energies (matgl's TensorNet output and WeightedReadOut): the O(3) invariants
/// (|I|², |A|², |S|² per channel), a LayerNorm and a linear layer give the node features; a gated MLP
/// (SiLU layers times a sigmoid gate, matgl's GatedMLP) gives one number per atom, in units of the training set's
/// energy standard deviation.
/// </summary>
public sealed class GatedReadout
{
    private readonly LayerNorm _norm;
    private readonly Dense _linear;
    private readonly Dense[] _layers, _gates;

    public GatedReadout(TensorNetWeights w, int units)
    {
        _norm = w.LayerNorm("model.out_norm", 3 * units);
        _linear = w.Dense("model.linear", 3 * units, units);
        // GatedMLP dims [C, C, C, C, 1]: Sequential indices 0, 2, 4, 6 are the linear layers (odd ones the activations).
        long[] sizes = [units, units, units, units, 1];
        _layers = [.. Enumerable.Range(0, 4).Select(k => w.Dense($"model.final_layer.gated.layers.{2 * k}", sizes[k], sizes[k + 1]))];
        _gates = [.. Enumerable.Range(0, 4).Select(k => w.Dense($"model.final_layer.gated.gates.{2 * k}", sizes[k], sizes[k + 1]))];
    }

    /// <summary>The invariant features after out_norm [N, 3C].</summary>
    public Tensor Invariants(Tensor x)
    {
        var (i, a, s) = Decompose(x);
        return _norm.Forward(cat([SquaredNorm(i), SquaredNorm(a), SquaredNorm(s)], -1));
    }

    public Tensor NodeFeatures(Tensor invariants) => _linear.Forward(invariants);

    /// <summary>[N] the gated MLP's output per atom.</summary>
    public Tensor Atomic(Tensor features)
    {
        Tensor value = features, gate = features;
        for (int k = 0; k < _layers.Length; k++)
        {
            value = _layers[k].Forward(value);
            gate = _gates[k].Forward(gate);
            if (k < _layers.Length - 1) { value = nn.functional.silu(value); gate = nn.functional.silu(gate); }
        }
        return (value * sigmoid(gate)).squeeze(-1);
    }
}
