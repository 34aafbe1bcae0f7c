using MDEngine.ML.Graphs;
using MDEngine.ML.IO;
using static TorchSharp.torch;

namespace MDEngine.ML.TensorNet;

/// <summary>A dense layer y = x Wᵀ + b (torch.nn.Linear) with its weights on the model's device.</summary>
public sealed record Dense(Tensor Weight, Tensor? Bias)
{
    public Tensor Forward(Tensor x) => nn.functional.linear(x, Weight, Bias);
}

/// <summary>torch.nn.LayerNorm over the last dimension (ε = 1e-5, matgl's default) with its affine weights.</summary>
public sealed record LayerNorm(Tensor Weight, Tensor Bias)
{
    public Tensor Forward(Tensor x) => nn.functional.layer_norm(x, [Weight.shape[0]], Weight, Bias, 1e-5);
}

/// <summary>
/// The state dict of a matgl model as tensors of the model's dtype on its device, each checked on the way: present,
/// of the expected shape, finite. A missing, misshapen or non-finite weight is a <see cref="ModelException"/> naming it.
/// </summary>
public sealed class TensorNetWeights(Dictionary<string, SafeTensor> state, ScalarType dtype, Device device)
{
    public SafeTensor Host(string name, params long[] shape)
    {
        if (!state.TryGetValue(name, out var t)) throw new ModelException($"state.pt has no '{name}'");
        // A 0-d tensor (data_std) may come back as shape [1].
        bool scalarMatch = shape.Length == 0 && t.Count == 1;
        if (!scalarMatch && !t.Shape.SequenceEqual(shape))
            throw new ModelException($"state.pt: '{name}' has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", shape)}]");
        if (t.Data.Any(v => !double.IsFinite(v))) throw new ModelException($"state.pt: '{name}' holds NaN or infinite values");
        return t;
    }

    public Tensor Get(string name, params long[] shape) =>
        tensor(Host(name, shape).Data, shape, ScalarType.Float64).to(dtype, device);

    public Dense Dense(string prefix, long inputs, long outputs, bool bias = true) =>
        new(Get(prefix + ".weight", outputs, inputs), bias ? Get(prefix + ".bias", outputs) : null);

    public LayerNorm LayerNorm(string prefix, long size) => new(Get(prefix + ".weight", size), Get(prefix + ".bias", size));
}
