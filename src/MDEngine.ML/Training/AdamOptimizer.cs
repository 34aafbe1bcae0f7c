using static TorchSharp.torch;

namespace MDEngine.ML.Training;

/// <summary>A named group of parameters with its own learning rate and L2 weight decay (torch's param_groups).</summary>
public sealed class ParameterGroup(string name, IReadOnlyList<(string Name, Tensor Value)> parameters, double weightDecay)
{
    public string Name { get; } = name;
    public IReadOnlyList<(string Name, Tensor Value)> Parameters { get; } = parameters;
    public double WeightDecay { get; } = weightDecay;
    public double LearningRate { get; set; }
}

/// <summary>
/// torch.optim.Adam (Kingma &amp; Ba) as mace-torch configures it: β = (beta, 0.999), ε = 1e-8, AMSGrad optional
/// (the running maximum of the second moment in the denominator), weight decay as an L2 term added to the gradient
/// of each group that has it. Its state (step count and moments per parameter) is checkpointed.
/// </summary>
public sealed class AdamOptimizer
{
    private readonly double _beta1, _beta2, _eps;
    private readonly bool _amsgrad;

    public IReadOnlyList<ParameterGroup> Groups { get; }
    public long Step { get; private set; }
    /// <summary>Per parameter: first moment, second moment, and (AMSGrad) the running maximum of the second.</summary>
    public Dictionary<string, Tensor> State { get; } = new(StringComparer.Ordinal);

    public AdamOptimizer(IReadOnlyList<ParameterGroup> groups, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, bool amsgrad = true)
    {
        Groups = groups; _beta1 = beta1; _beta2 = beta2; _eps = eps; _amsgrad = amsgrad;
        foreach (var g in groups) g.LearningRate = lr;
        foreach (var (name, p) in groups.SelectMany(g => g.Parameters))
        {
            State[$"{name}.exp_avg"] = zeros_like(p).detach();
            State[$"{name}.exp_avg_sq"] = zeros_like(p).detach();
            if (amsgrad) State[$"{name}.max_exp_avg_sq"] = zeros_like(p).detach();
        }
    }

    /// <summary>One update from the gradients in <paramref name="grads"/> (by parameter name).</summary>
    public void Update(IReadOnlyDictionary<string, Tensor> grads)
    {
        using var _ = no_grad();
        Step++;
        double bias1 = 1 - Math.Pow(_beta1, Step), bias2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, Step));
        foreach (var group in Groups)
        {
            double stepSize = group.LearningRate / bias1;
            foreach (var (name, p) in group.Parameters)
            {
                if (!grads.TryGetValue(name, out var grad)) continue;
                if (group.WeightDecay != 0) grad = grad.add(p, alpha: group.WeightDecay);
                var m = State[$"{name}.exp_avg"]; var v = State[$"{name}.exp_avg_sq"];
                m.mul_(_beta1).add_(grad, alpha: 1 - _beta1);
                v.mul_(_beta2).addcmul_(grad, grad, value: 1 - _beta2);
                Tensor second = v;
                if (_amsgrad)
                {
                    var max = State[$"{name}.max_exp_avg_sq"];
                    max.copy_(maximum(max, v));
                    second = max;
                }
                var denom = (second.sqrt() / bias2Sqrt).add_(_eps);
                p.addcdiv_(m, denom, value: -stepSize);
            }
        }
    }

    /// <summary>Restores the step count (the moments are restored through <see cref="State"/>).</summary>
    public void Restore(long step) => Step = step;
}
