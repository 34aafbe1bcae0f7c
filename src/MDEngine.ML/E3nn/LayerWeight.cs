using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// A layer's weight in the layout its forward pass reads, derived from a raw weight in the layout the model file
/// stores (e3nn's flat path blocks, unscaled). A constant raw weight is derived once, in float64 on the host, then
/// cast to the model's precision and device (evaluation). A trainable one (a leaf that requires grad, in the model's
/// precision) is derived again at every use, so the gradient reaches the raw parameter and each forward pass sees the
/// optimiser's latest values.
/// </summary>
public sealed class LayerWeight
{
    private readonly Tensor? _parameter;
    private readonly Func<Tensor, Tensor> _derive;
    private readonly Tensor? _constant;

    public LayerWeight(Tensor raw, Func<Tensor, Tensor> derive, TensorOptions options)
    {
        _derive = derive;
        if (raw.requires_grad) _parameter = raw;
        else using (no_grad()) _constant = derive(raw).to(options.DType, options.Device);
    }

    /// <summary>The weight as the layer uses it.</summary>
    public Tensor Value => _constant ?? _derive(_parameter!);

    public bool Trainable => _parameter is not null;
}
