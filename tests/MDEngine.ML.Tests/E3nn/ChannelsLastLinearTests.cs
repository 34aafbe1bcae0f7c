using MDEngine.ML.E3nn;
using MDEngine.ML.Mace;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

/// <summary><see cref="ChannelsLastLinear"/> against the layers it stands for, in e3nn's layout, forward and reverse.</summary>
public class ChannelsLastLinearTests
{
    private static double[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
    }

    /// <summary>Max |a − b| relative to max |b|.</summary>
    private static double Difference(Tensor a, Tensor b) =>
        (a - b).abs().max().item<double>() / Math.Max(1e-300, b.abs().max().item<double>());

    /// <summary>y = f(x) and ∂(y·probe)/∂x.</summary>
    private static (Tensor Y, Tensor Gradient) WithGradient(Func<Tensor, Tensor> f, Tensor x0, Tensor probe)
    {
        var x = x0.clone().requires_grad_(true);
        var y = f(x);
        return (y.detach(), autograd.grad([(y * probe).sum()], [x])[0]);
    }

    [Fact]
    public void EqualsE3LinearWithAnInputSplitFinerThanItsIrreps()
    {
        // The fused convolution's output: one entry per path, 0e twice and 1o three times; the layer sees 8x0e+12x1o+4x2e.
        var channelsLastIn = Irreps.Parse("4x0e+4x0e+4x1o+4x1o+4x1o+4x2e");
        var irrepsIn = Irreps.Parse("8x0e+12x1o+4x2e");
        var irrepsOut = Irreps.Parse("5x0e+5x1o+5x2e+5x3o"); // 3o: nothing reaches it
        var linear = new E3Linear(irrepsIn, irrepsOut, Random(E3Linear.WeightCount(irrepsIn, irrepsOut), 1), TensorOptions.CpuFloat64);
        var layer = ChannelsLastLinear.From(linear, channelsLastIn, scale: 0.5);
        manual_seed(3);
        var x = randn(6, irrepsIn.Dim, dtype: ScalarType.Float64);
        var probe = randn(6, irrepsOut.Dim, dtype: ScalarType.Float64);

        var (expected, expectedGradient) = WithGradient(v => linear.Forward(v) * 0.5, x, probe);
        var (actual, actualGradient) = WithGradient(v => ChannelsLast.ToIrrepsLayout(layer.Forward(ChannelsLast.From(v, channelsLastIn)), irrepsOut), x, probe);
        Assert.True(Difference(actual, expected) < 1e-14);
        Assert.True(Difference(actualGradient, expectedGradient) < 1e-14);
        // e3nn's layout of the finer entries is the same vector as that of irrepsIn.
        Assert.Equal(0.0, Difference(ChannelsLast.ToIrrepsLayout(ChannelsLast.From(x, channelsLastIn), channelsLastIn), x));
    }

    [Theory]
    [InlineData(new long[] { 0, 2, 1, 1, 0, 2, 2 })]
    [InlineData(new long[] { 1, 1, 1 })]
    public void EqualsTheElementDependentSelfConnection(long[] elements)
    {
        var irrepsIn = Irreps.Parse("6x0e+6x1o");
        var irrepsOut = Irreps.Parse("6x0e+6x1o+6x2e");
        var product = new ScalarTensorProduct(irrepsIn, 3, irrepsOut, Random(ScalarTensorProduct.WeightCount(irrepsIn, 3, irrepsOut), 2), TensorOptions.CpuFloat64);
        var layer = ChannelsLastLinear.From(product);
        var nodes = tensor(elements);
        var groups = ElementGroups.From(nodes);
        manual_seed(4);
        var x = randn(elements.Length, irrepsIn.Dim, dtype: ScalarType.Float64);
        var probe = randn(elements.Length, irrepsOut.Dim, dtype: ScalarType.Float64);

        var (expected, expectedGradient) = WithGradient(v => product.Forward(v, nodes), x, probe);
        var (actual, actualGradient) = WithGradient(v => ChannelsLast.ToIrrepsLayout(layer.Forward(ChannelsLast.From(v, irrepsIn), groups), irrepsOut), x, probe);
        Assert.True(Difference(actual, expected) < 1e-14);
        Assert.True(Difference(actualGradient, expectedGradient) < 1e-14);
    }
}
