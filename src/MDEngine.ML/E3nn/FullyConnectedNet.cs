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
    private readonly Kernels.DenseLayerFunction.Weights?[] _kernels; // constant CPU weights: the blocked matrix product

    /// <summary>Below this many rows the layers run as plain torch operations.</summary>
    private const int RowParallelMinimumRows = 64;

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
        _kernels = _weights.Select(w => !w.Trainable && w.Value.device_type == TorchSharp.DeviceType.CPU ? Kernels.DenseLayerFunction.For(w.Value) : null).ToArray();
        InputSize = layers[0].In;
        OutputSize = layers[^1].Out;
    }

    public Tensor Forward(Tensor x)
    {
        int last = _weights.Length - 1;
        if (_weights.Any(w => w.Trainable)) return Layers(x, 0, _weights.Length);
        // Inference: the rows (edges) are independent, so the hidden layers are split over the threads by rows. The last
        // layer, the widest (1,280 outputs per pair for MACE-MP-0-medium), is one product over all rows whose kernel
        // splits the rows itself, writing the output once in place instead of gathering per-thread pieces of it.
        var hidden = last == 0 ? x : Kernels.RowParallel.Apply("radial networks", (rows, _, _) => Layers(rows[0], 0, last), [x], RowParallelMinimumRows);
        return Layers(hidden, last, _weights.Length);
    }

    /// <summary>Layers [first, end) on x, each but the network's last followed by the activation.</summary>
    private Tensor Layers(Tensor x, int first, int end)
    {
        for (int k = first; k < end; k++)
        {
            x = _kernels[k] is { } kernel ? Kernels.DenseLayerFunction.apply(x, kernel, "radial networks") : x.matmul(_weights[k].Value);
            if (k < _weights.Length - 1) x = NormalizedSilu(x);
        }
        return x;
    }

    public static Tensor NormalizedSilu(Tensor x) => nn.functional.silu(x) * SiluSecondMomentNormalization;
}
