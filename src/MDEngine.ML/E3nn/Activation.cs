using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// e3nn's <c>math.normalize2mom</c>: an activation f is rescaled to unit second moment under a standard normal input,
/// f ↦ c·f with c = E[f(z)²]^(−1/2). e3nn estimates the expectation from 10⁶ samples of
/// <c>torch.randn(1_000_000, generator=Generator().manual_seed(0), dtype=float64)</c> and skips the factor when
/// |c − 1| &lt; 10⁻⁴; the same libtorch generator draws the same samples here, so c is e3nn's constant (for SiLU
/// <see cref="FullyConnectedNet.SiluSecondMomentNormalization"/>).
/// </summary>
public static class Normalize2Mom
{
    private static readonly Lazy<Tensor> Samples = new(() =>
    {
        using var generator = new TorchSharp.torch.Generator(0);
        // Kept for the life of the process, outside any caller's dispose scope.
        return randn([1_000_000], ScalarType.Float64, generator: generator).DetachFromDisposeScope();
    });

    private static readonly ConcurrentDictionary<Func<Tensor, Tensor>, double> Cache = new();

    /// <summary>c = E[f(z)²]^(−1/2) over e3nn's samples, or exactly 1 when |c − 1| &lt; 10⁻⁴.</summary>
    public static double Constant(Func<Tensor, Tensor> f) => Cache.GetOrAdd(f, act =>
    {
        var z = Samples.Value;
        using var scope = NewDisposeScope();
        double c = Math.Pow(act(z).pow(2).mean().item<double>(), -0.5);
        return Math.Abs(c - 1) < 1e-4 ? 1.0 : c;
    });

    /// <summary>The activation times its constant.</summary>
    public static Func<Tensor, Tensor> Apply(Func<Tensor, Tensor> f)
    {
        double c = Constant(f);
        return c == 1.0 ? f : x => f(x) * c;
    }

    /// <summary>
    /// The parity of an activation as e3nn's <c>nn.Activation</c> decides it, from x = linspace(0, 10, 256):
    /// +1 if |f(x) − f(−x)| &lt; 10⁻⁵ everywhere (even), −1 if |f(x) + f(−x)| &lt; 10⁻⁵ (odd), 0 otherwise.
    /// </summary>
    public static int Parity(Func<Tensor, Tensor> f)
    {
        using var scope = NewDisposeScope();
        var x = linspace(0, 10, 256, dtype: ScalarType.Float64);
        var a = f(x);
        var b = f(-x);
        if ((a - b).abs().max().item<double>() < 1e-5) return 1;
        if ((a + b).abs().max().item<double>() < 1e-5) return -1;
        return 0;
    }
}

/// <summary>
/// e3nn's <c>nn.Activation</c>: one activation per block of the input irreps (null leaves the block unchanged),
/// each normalised by <see cref="Normalize2Mom"/>. Activations apply to scalars only. Parity: an even input stays
/// even; an odd input becomes even under an even activation, stays odd under an odd one, and is rejected under an
/// activation that is neither.
/// </summary>
public sealed class Activation
{
    private readonly Func<Tensor, Tensor>?[] _acts;

    public Irreps IrrepsIn { get; }
    public Irreps IrrepsOut { get; }

    public Activation(Irreps irrepsIn, IReadOnlyList<Func<Tensor, Tensor>?> acts)
    {
        if (acts.Count != irrepsIn.Count) throw new ArgumentException($"{acts.Count} activations for the {irrepsIn.Count} blocks of {irrepsIn}");
        IrrepsIn = irrepsIn;
        _acts = new Func<Tensor, Tensor>?[acts.Count];
        var outs = new List<MulIrrep>();
        for (int k = 0; k < acts.Count; k++)
        {
            var (mul, ir) = (irrepsIn[k].Mul, irrepsIn[k].Ir);
            var act = acts[k];
            if (act is null) { outs.Add(irrepsIn[k]); continue; }
            if (ir.L != 0) throw new ArgumentException($"an activation cannot act on the non-scalar block {irrepsIn[k]}");
            int parity = ir.P == -1 ? Normalize2Mom.Parity(act) : ir.P;
            if (parity == 0) throw new ArgumentException($"the activation on the odd scalars {irrepsIn[k]} is neither even nor odd, so it would break parity");
            outs.Add(new MulIrrep(mul, new Irrep(0, parity)));
            _acts[k] = Normalize2Mom.Apply(act);
        }
        IrrepsOut = new Irreps(outs);
    }

    /// <summary>x [N, IrrepsIn.Dim] → [N, IrrepsOut.Dim].</summary>
    public Tensor Forward(Tensor x)
    {
        if (IrrepsIn.Count == 0) return x;
        var blocks = IrrepsIn.Blocks(x, -1);
        for (int k = 0; k < blocks.Length; k++)
            if (_acts[k] is { } act) blocks[k] = act(blocks[k]);
        return blocks.Length == 1 ? blocks[0] : cat(blocks, -1);
    }
}
