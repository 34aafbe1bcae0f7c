using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// e3nn's <c>nn.FullyConnectedNet</c>: bias-free layers x ← act(x W / √h_in), no activation after the last layer.
/// The activation is normalised to unit second moment under a standard normal input (e3nn's normalize2mom).
/// </summary>
public sealed class FullyConnectedNet
{
    /// <summary>1/√E[silu(z)²] for z ~ N(0,1), the constant e3nn's normalize2mom multiplies SiLU by.</summary>
    public const double SiluSecondMomentNormalization = 1.6791767923989418;

    private readonly LayerWeight[] _weights;
    /// <summary>Every layer's blocked matrix product kernels, when all weights are constants on the CPU; else null.</summary>
    private readonly Kernels.DenseLayerKernels.Weights[]? _kernels;

    public int InputSize { get; }
    public int OutputSize { get; }

    public FullyConnectedNet(IReadOnlyList<(double[] Data, int In, int Out)> layers, TensorOptions options)
        : this(layers.Select(l => (TensorOptions.Raw(l.Data), l.In, l.Out)).ToArray(), options) { }

    /// <param name="layers">Each layer's [in, out] weight: a float64 host tensor (constant) or a trainable parameter.</param>
    public FullyConnectedNet(IReadOnlyList<(Tensor Data, int In, int Out)> layers, TensorOptions options)
    {
        _weights = layers.Select(l =>
        {
            if (l.Data.numel() != l.In * l.Out) throw new ArgumentException($"layer of {l.In}x{l.Out} needs {l.In * l.Out} weights, got {l.Data.numel()}");
            double scale = 1.0 / Math.Sqrt(l.In);
            return new LayerWeight(l.Data, w => w.view(l.In, l.Out) * scale, options);
        }).ToArray();
        var kernels = _weights.Select(w => !w.Trainable && w.Value.device_type == TorchSharp.DeviceType.CPU ? Kernels.DenseLayerKernels.For(w.Value) : null).ToArray();
        _kernels = kernels.All(k => k is not null) ? kernels.Select(k => k!).ToArray() : null;
        InputSize = layers[0].In;
        OutputSize = layers[^1].Out;
    }

    public Tensor Forward(Tensor x)
    {
        // Inference on the CPU: the whole network is one node whose kernels split the rows (edge pairs) over the threads.
        if (x.device_type == TorchSharp.DeviceType.CPU && _kernels is not null)
            return Kernels.FullyConnectedNetFunction.apply(x, _kernels, SiluSecondMomentNormalization, "radial networks");
        for (int k = 0; k < _weights.Length; k++)
        {
            x = x.matmul(_weights[k].Value);
            if (k < _weights.Length - 1) x = NormalizedSilu(x);
        }
        return x;
    }

    /// <summary><see cref="Forward"/> by the CPU kernels without autograd; <paramref name="hidden"/> keeps what
    /// <see cref="Reverse"/> reads.</summary>
    internal Tensor ForwardRecorded(Tensor x, out Tensor[] hidden) =>
        Kernels.FullyConnectedNetFunction.Forward(x, _kernels ?? throw new InvalidOperationException("the network has no CPU kernels"), SiluSecondMomentNormalization, out hidden);

    /// <summary>∂L/∂x from ∂L/∂y and the <paramref name="hidden"/> of <see cref="ForwardRecorded"/>.</summary>
    internal Tensor Reverse(Tensor[] hidden, Tensor gy) => Kernels.FullyConnectedNetFunction.Backward(hidden, _kernels!, SiluSecondMomentNormalization, gy);

    public static Tensor NormalizedSilu(Tensor x) => nn.functional.silu(x) * SiluSecondMomentNormalization;
}
