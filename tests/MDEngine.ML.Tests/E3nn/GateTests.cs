using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

public class GateTests
{
    private static readonly Func<Tensor, Tensor> Silu = x => nn.functional.silu(x);
    private static readonly Func<Tensor, Tensor> Sigmoid = x => x.sigmoid();
    private static readonly Func<Tensor, Tensor> Tanh = x => x.tanh();
    private static readonly Func<Tensor, Tensor> Abs = x => x.abs();

    private static Tensor Row(params double[] v) => tensor(v, [1, v.Length], ScalarType.Float64);

    /// <summary>1/√E[f(z)²] for z ~ N(0,1) by a fine Riemann sum (the exact value e3nn's sampling estimates).</summary>
    private static double ExactConstant(Func<double, double> f)
    {
        double sum = 0, dz = 1e-3;
        for (double z = -12; z <= 12; z += dz) sum += f(z) * f(z) * Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI) * dz;
        return 1 / Math.Sqrt(sum);
    }

    [Fact]
    public void SecondMomentConstantIsE3nnsSampledValue()
    {
        // The same seed-0 libtorch generator draws e3nn's 10^6 samples, so SiLU's constant is e3nn's to rounding.
        Assert.Equal(FullyConnectedNet.SiluSecondMomentNormalization, Normalize2Mom.Constant(Silu), 1e-12);
        // Sampling error against the exact integral is ~1e-3.
        Assert.Equal(ExactConstant(z => 1 / (1 + Math.Exp(-z))), Normalize2Mom.Constant(Sigmoid), 3e-3);
        Assert.Equal(ExactConstant(Math.Tanh), Normalize2Mom.Constant(Tanh), 3e-3);
    }

    [Fact]
    public void PreNormalizedActivationsAreNotNormalizedTwice()
    {
        // An activation already multiplied by e3nn's constant (as a caller holding the constants a model file stores
        // may pass it) has unit second moment, so the gate leaves it as it is (e3nn's |c − 1| < 1e-4 rule):
        // pre-normalised and raw activations give the same gate.
        double cs = FullyConnectedNet.SiluSecondMomentNormalization, cg = Normalize2Mom.Constant(Sigmoid);
        Assert.Equal(1.0, Normalize2Mom.Constant(x => cs * nn.functional.silu(x)));
        var raw = new Gate(Irreps.Parse("2x0e"), [Silu], Irreps.Parse("2x0e"), [Sigmoid], Irreps.Parse("1x1o+1x2e"));
        var scaled = new Gate(Irreps.Parse("2x0e"), [x => cs * nn.functional.silu(x)], Irreps.Parse("1x0e+1x0e"),
            [x => cg * x.sigmoid(), x => cg * x.sigmoid()], Irreps.Parse("1x1o+1x2e"));
        var input = tensor(Enumerable.Range(0, 3 * raw.IrrepsIn.Dim).Select(k => Math.Sin(0.7 * k) * 2).ToArray(), [3, raw.IrrepsIn.Dim], ScalarType.Float64);
        Assert.Equal(raw.IrrepsIn, scaled.IrrepsIn);
        Assert.Equal(raw.IrrepsOut, scaled.IrrepsOut);
        Assert.True((raw.Forward(input) - scaled.Forward(input)).abs().max().item<double>() < 1e-15);
        // The constant really is applied to a raw activation.
        double g = cg / (1 + Math.Exp(-input[0, 2].item<double>()));
        Assert.Equal(g * input[0, 4].item<double>(), raw.Forward(input)[0, 2].item<double>(), 1e-14);
    }

    [Fact]
    public void ActivationParityFollowsE3nn()
    {
        Assert.Equal(1, Normalize2Mom.Parity(Abs));
        Assert.Equal(-1, Normalize2Mom.Parity(Tanh));
        Assert.Equal(0, Normalize2Mom.Parity(Silu));
        Assert.Equal("2x0e+3x0o+1x0e", new Activation(Irreps.Parse("2x0e+3x0o+1x0o"), [Silu, Tanh, Abs]).IrrepsOut.ToString());
        Assert.Throws<ArgumentException>(() => new Activation(Irreps.Parse("1x0o"), [Silu]));
        Assert.Throws<ArgumentException>(() => new Activation(Irreps.Parse("1x1o"), [Tanh]));
    }

    [Fact]
    public void IrrepsFollowE3nnsExample()
    {
        // e3nn's docstring: Gate("16x0o", [tanh], "32x0o", [tanh], "16x1e+16x1o").irreps_out == 16x0o+16x1o+16x1e.
        var gate = new Gate(Irreps.Parse("16x0o"), [Tanh], Irreps.Parse("32x0o"), [Tanh], Irreps.Parse("16x1e+16x1o"));
        Assert.Equal("16x0o+16x1o+16x1e", gate.IrrepsOut.ToString());
        Assert.Equal("48x0o+16x1o+16x1e", gate.IrrepsIn.ToString());
        Assert.Throws<ArgumentException>(() => new Gate(Irreps.Parse("1x0e"), [Silu], Irreps.Parse("2x0e"), [Sigmoid], Irreps.Parse("1x1o")));
        Assert.Throws<ArgumentException>(() => new Gate(Irreps.Parse("1x1o"), [Silu], Irreps.Parse("1x0e"), [Sigmoid], Irreps.Parse("1x1o")));
    }

    [Fact]
    public void ScalarsAreActivatedAndGatedIrrepsScaledByTheirGates()
    {
        var gate = new Gate(Irreps.Parse("2x0e"), [Silu], Irreps.Parse("1x0e"), [Sigmoid], Irreps.Parse("1x1o"));
        Assert.Equal("3x0e+1x1o", gate.IrrepsIn.ToString());
        Assert.Equal("2x0e+1x1o", gate.IrrepsOut.ToString());
        var y = gate.Forward(Row(0.3, -1.2, 0.8, 1, -2, 0.5)).data<double>().ToArray();
        double cs = Normalize2Mom.Constant(Silu), cg = Normalize2Mom.Constant(Sigmoid);
        static double silu(double v) => v / (1 + Math.Exp(-v));
        double g = cg / (1 + Math.Exp(-0.8));
        double[] expected = [cs * silu(0.3), cs * silu(-1.2), g * 1, g * -2, g * 0.5];
        Assert.Equal(expected.Length, y.Length);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], y[k], 1e-14);
    }

    [Fact]
    public void InputIsReadInSortedOrder()
    {
        // 0o sorts before 0e: the input is [gate (0o), scalar (0e), gated (1e)]; the odd gate makes the 1e a 1o.
        var gate = new Gate(Irreps.Parse("1x0e"), [Silu], Irreps.Parse("1x0o"), [Tanh], Irreps.Parse("1x1e"));
        Assert.Equal("1x0o+1x0e+1x1e", gate.IrrepsIn.ToString());
        Assert.Equal("1x0e+1x1o", gate.IrrepsOut.ToString());
        var y = gate.Forward(Row(0.4, -0.7, 1, 2, 3)).data<double>().ToArray();
        double cs = Normalize2Mom.Constant(Silu), ct = Normalize2Mom.Constant(Tanh);
        double g = ct * Math.Tanh(0.4);
        double[] expected = [cs * (-0.7 / (1 + Math.Exp(0.7))), g, 2 * g, 3 * g];
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], y[k], 1e-14);
    }

    [Fact]
    public void ActivationsFollowTheBlocksAsGiven()
    {
        // "2x0e+1x0e" is read as 3x0e, but SiLU acts on the first two and tanh on the third (as in e3nn).
        var gate = new Gate(Irreps.Parse("2x0e+1x0e"), [Silu, Tanh], Irreps.Parse(""), [], Irreps.Parse(""));
        Assert.Equal("3x0e", gate.IrrepsIn.ToString());
        Assert.Equal("2x0e+1x0e", gate.IrrepsOut.ToString());
        var y = gate.Forward(Row(0.5, -1, 2)).data<double>().ToArray();
        double cs = Normalize2Mom.Constant(Silu), ct = Normalize2Mom.Constant(Tanh);
        Assert.Equal(cs * 0.5 / (1 + Math.Exp(-0.5)), y[0], 1e-14);
        Assert.Equal(cs * -1 / (1 + Math.Exp(1)), y[1], 1e-14);
        Assert.Equal(ct * Math.Tanh(2), y[2], 1e-14);
    }

    [Fact]
    public void GatedBlocksSplitWhereTheGatesChange()
    {
        // 3 gated 1o copies with gates 2x0e (sigmoid) + 1x0o (tanh): outputs 2x1o (even gates) + 1x1e (odd gate).
        var gate = new Gate(Irreps.Parse(""), [], Irreps.Parse("2x0e+1x0o"), [Sigmoid, Tanh], Irreps.Parse("3x1o"));
        Assert.Equal("2x1o+1x1e", gate.IrrepsOut.ToString());
        double error = Equivariance.Check(x => [gate.Forward(x[0])], [gate.IrrepsIn], [gate.IrrepsOut]);
        Assert.True(error < 1e-13, $"{error}");
    }
}
