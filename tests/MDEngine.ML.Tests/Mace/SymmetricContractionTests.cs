using MDEngine.ML.E3nn;
using MDEngine.ML.Mace;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.Mace;

public class SymmetricContractionTests
{
    [Fact]
    public void SparseMonomialFormEqualsDenseUTensorForm()
    {
        var model = MaceFixture.Potential.Model;
        var rng = new Random(11);
        foreach (var layer in model.ContractionWeights)
            foreach (var weights in layer)
            {
                var dense = new DenseSymmetricContraction(weights, TensorOptions.CpuFloat64);
                var sparse = new SparseSymmetricContraction(weights, TensorOptions.CpuFloat64);
                Assert.True(sparse.MonomialCount < 16 + 136 + 816);
                int nodes = 5;
                var x = tensor(Enumerable.Range(0, nodes * weights.Channels * weights.FeatureDim).Select(_ => rng.NextDouble() * 2 - 1).ToArray(),
                    [nodes, weights.Channels, weights.FeatureDim], ScalarType.Float64);
                var elements = tensor(new long[] { 0, 1, 1, 0, 1 });
                var a = dense.Forward(x, elements).data<double>().ToArray();
                var b = sparse.Forward(x, elements).data<double>().ToArray();
                double scale = a.Max(Math.Abs);
                Assert.True(scale > 1e-3);
                Assert.True(a.Zip(b, (p, q) => Math.Abs(p - q)).Max() <= 1e-13 * scale);
            }
    }
}

public class SymmetricContractionTogetherTests
{
    [Fact]
    public void AllOutputIrrepsTogetherEqualEachAlone()
    {
        var weights = MaceFixture.Potential.Model.ContractionWeights[0];
        Assert.Equal(2, weights.Length);
        var together = new SparseSymmetricContraction(weights, TensorOptions.CpuFloat64);
        var rng = new Random(2);
        var x = tensor(Enumerable.Range(0, 4 * weights[0].Channels * weights[0].FeatureDim).Select(_ => rng.NextDouble() - 0.5).ToArray(),
            [4, weights[0].Channels, weights[0].FeatureDim], ScalarType.Float64);
        var elements = tensor(new long[] { 1, 0, 0, 1 });
        var expected = cat(weights.Select(w => new DenseSymmetricContraction(w, TensorOptions.CpuFloat64).Forward(x, elements)).ToArray(), 1).data<double>().ToArray();
        var actual = together.Forward(x, elements).data<double>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        Assert.True(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() <= 1e-13 * scale);
    }
}

/// <summary>The CPU kernel's reverse pass against torch's autograd through the dense U-tensor form.</summary>
public class SymmetricContractionGradientTests
{
    [Theory]
    [InlineData(ScalarType.Float64, 1e-12)]
    [InlineData(ScalarType.Float32, 1e-5)]
    public void KernelGradientEqualsAutogradThroughTheDenseForm(ScalarType dtype, double tolerance)
    {
        var options = new TensorOptions(dtype, CPU);
        foreach (var layer in MaceFixture.Potential.Model.ContractionWeights)
        {
            var sparse = new SparseSymmetricContraction(layer, options);
            manual_seed(5);
            int channels = layer[0].Channels, d = layer[0].FeatureDim;
            var x0 = (rand(6, channels, d, dtype: ScalarType.Float64) * 2 - 1).to(dtype);
            var elements = tensor(new long[] { 1, 0, 0, 1, 1, 0 });
            var probe = randn(6, channels * sparse.OutDim, dtype: ScalarType.Float64).to(dtype);

            var x = x0.clone().requires_grad_(true);
            var mine = autograd.grad([(sparse.Forward(x, elements) * probe).sum()], [x])[0].to(ScalarType.Float64);
            var xd = x0.to(ScalarType.Float64).requires_grad_(true);
            var dense = cat(layer.Select(w => new DenseSymmetricContraction(w, TensorOptions.CpuFloat64).Forward(xd, elements)).ToArray(), 1);
            var reference = autograd.grad([(dense * probe.to(ScalarType.Float64)).sum()], [xd])[0];

            double scale = reference.abs().max().item<double>();
            Assert.True(scale > 1e-3);
            double error = (mine - reference).abs().max().item<double>();
            Assert.True(error <= tolerance * scale, $"max |difference| {error:E3} relative to {scale:E3}");
        }
    }
}

/// <summary>A channel count that is not a whole number of SIMD vectors (5): the kernel's padded last block, forward and
/// reverse, against the dense U-tensor form.</summary>
public class SymmetricContractionOddChannelsTests
{
    [Theory]
    [InlineData(ScalarType.Float64, 1e-12)]
    [InlineData(ScalarType.Float32, 1e-5)]
    public void PaddedChannelBlockEqualsTheDenseForm(ScalarType dtype, double tolerance)
    {
        const int channels = 5;
        var options = new TensorOptions(dtype, CPU);
        var layer = MaceFixture.Potential.Model.ContractionWeights[0]
            .Select(w => w with { Channels = channels, W = w.W.Select((ws, i) => FirstChannels(ws, w, i + 1, channels)).ToArray() }).ToArray();
        var sparse = new SparseSymmetricContraction(layer, options);
        manual_seed(9);
        int d = layer[0].FeatureDim;
        var x0 = rand(7, channels, d, dtype: ScalarType.Float64) * 2 - 1;
        var elements = tensor(new long[] { 0, 1, 1, 0, 1, 1, 0 });
        var probe = randn(7, channels * sparse.OutDim, dtype: ScalarType.Float64);

        var x = x0.to(dtype).requires_grad_(true);
        var y = sparse.Forward(x, elements);
        var gx = autograd.grad([(y * probe.to(dtype)).sum()], [x])[0].to(ScalarType.Float64);
        var xd = x0.clone().requires_grad_(true);
        var dense = cat(layer.Select(w => new DenseSymmetricContraction(w, TensorOptions.CpuFloat64).Forward(xd, elements)).ToArray(), 1);
        var gxd = autograd.grad([(dense * probe).sum()], [xd])[0];

        foreach (var (mine, reference) in new[] { (y.to(ScalarType.Float64), dense), (gx, gxd) })
        {
            double scale = reference.abs().max().item<double>();
            Assert.True(scale > 1e-3);
            double error = (mine - reference).abs().max().item<double>();
            Assert.True(error <= tolerance * scale, $"max |difference| {error:E3} relative to {scale:E3}");
        }
    }

    /// <summary>W_ν [elements, K_ν, channels] restricted to its first channels.</summary>
    private static double[] FirstChannels(double[] w, SymmetricContractionWeights c, int nu, int channels)
    {
        int k = c.Paths(nu);
        var result = new double[c.Elements * k * channels];
        for (int e = 0; e < c.Elements; e++)
            for (int p = 0; p < k; p++)
                for (int ch = 0; ch < channels; ch++)
                    result[(e * k + p) * channels + ch] = w[(e * k + p) * c.Channels + ch];
        return result;
    }
}
