using static TorchSharp.torch;

namespace MDEngine.ML.Training;

/// <summary>
/// The exponential moving average of the parameters (torch_ema, as mace-torch uses it with use_num_updates): after
/// update n, shadow ← shadow − (1 − d)(shadow − θ) with d = min(decay, (1 + n)/(10 + n)). Validation and the saved
/// model use the averaged weights.
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly double _decay;
    public long Updates { get; set; }
    public Dictionary<string, Tensor> Shadow { get; }

    public ExponentialMovingAverage(IEnumerable<(string Name, Tensor Value)> parameters, double decay)
    {
        _decay = decay;
        Shadow = parameters.ToDictionary(p => p.Name, p => p.Value.detach().clone(), StringComparer.Ordinal);
    }

    public void Update(IEnumerable<(string Name, Tensor Value)> parameters)
    {
        using var _ = no_grad();
        Updates++;
        double d = Math.Min(_decay, (1.0 + Updates) / (10.0 + Updates));
        foreach (var (name, p) in parameters) Shadow[name].sub_((Shadow[name] - p) * (1 - d));
    }
}
