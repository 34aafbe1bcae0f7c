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

    /// <summary><see cref="NormalizedSilu"/> of a CPU tensor by the vectorised kernel, without autograd.</summary>
    internal static unsafe Tensor NormalizedSiluRecorded(Tensor z)
    {
        z = z.contiguous();
        var a = empty_like(z);
        switch (z.dtype)
        {
            case ScalarType.Float32: Kernels.Activation<float>.Silu(Kernels.TensorMemory.Pointer<float>(z), Kernels.TensorMemory.Pointer<float>(a), z.numel(), (float)SiluSecondMomentNormalization); break;
            case ScalarType.Float64: Kernels.Activation<double>.Silu(Kernels.TensorMemory.Pointer<double>(z), Kernels.TensorMemory.Pointer<double>(a), z.numel(), SiluSecondMomentNormalization); break;
            default: throw new ArgumentException($"the activation kernel runs on float32 and float64, not {z.dtype}");
        }
        return a;
    }

    /// <summary>The reverse of <see cref="NormalizedSiluRecorded"/>: ∂L/∂z = c·silu'(z) ⊙ ∂L/∂a.</summary>
    internal static unsafe Tensor NormalizedSiluReverse(Tensor z, Tensor gradient)
    {
        z = z.contiguous();
        var g = gradient.contiguous().clone();
        switch (z.dtype)
        {
            case ScalarType.Float32: Kernels.Activation<float>.SiluReverse(Kernels.TensorMemory.Pointer<float>(z), Kernels.TensorMemory.Pointer<float>(g), z.numel(), (float)SiluSecondMomentNormalization); break;
            case ScalarType.Float64: Kernels.Activation<double>.SiluReverse(Kernels.TensorMemory.Pointer<double>(z), Kernels.TensorMemory.Pointer<double>(g), z.numel(), SiluSecondMomentNormalization); break;
            default: throw new ArgumentException($"the activation kernel runs on float32 and float64, not {z.dtype}");
        }
        return g;
    }

    public static Tensor NormalizedSilu(Tensor x) => nn.functional.silu(x) * SiluSecondMomentNormalization;
}
