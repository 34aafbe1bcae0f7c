using MDEngine.ML.Kernels;
using MDEngine.ML.Graphs;
using MDEngine.ML.E3nn;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

public class EquivarianceTests(ITestOutputHelper output)
{
    private static readonly TensorOptions F64 = TensorOptions.CpuFloat64;

    private static double[] Weights(Random rng, int n) => Enumerable.Range(0, n).Select(_ => Rotations.Gaussian(rng)).ToArray();

    [Fact]
    public void TheCheckCatchesWrongRotationAndWrongParity()
    {
        // A vector declared as three scalars fails under rotation; a polar vector declared axial fails under parity.
        double asScalars = Equivariance.Check(x => [x[0]], [Irreps.Parse("1x1o")], [Irreps.Parse("3x0e")]);
        output.WriteLine($"asScalars: {asScalars:E2}");
        Assert.True(asScalars > 0.1, $"{asScalars}");
        double asAxial = Equivariance.Check(x => [x[0]], [Irreps.Parse("1x1o")], [Irreps.Parse("1x1e")]);
        output.WriteLine($"asAxial: {asAxial:E2}");
        Assert.True(asAxial > 0.1, $"{asAxial}");
        double withoutParity = Equivariance.Check(x => [x[0]], [Irreps.Parse("1x1o")], [Irreps.Parse("1x1e")], parity: false);
        output.WriteLine($"withoutParity: {withoutParity:E2}");
        Assert.True(withoutParity < 1e-14, $"{withoutParity}");
    }

    [Fact]
    public void SphericalHarmonicsAreEquivariant()
    {
        double error = Equivariance.Check(x => [SphericalHarmonics.Compute(x[0], 3)], [Irreps.Parse("1x1o")], [Irreps.SphericalHarmonics(3)]);
        output.WriteLine($"error: {error:E2}");
        Assert.True(error < 1e-12, $"{error}");
    }

    [Fact]
    public void LinearIsEquivariant()
    {
        var irrepsIn = Irreps.Parse("3x0e+2x1o+1x2e+1x1e");
        var irrepsOut = Irreps.Parse("2x0e+3x1o+2x2e");
        var linear = new E3Linear(irrepsIn, irrepsOut, Weights(new Random(1), E3Linear.WeightCount(irrepsIn, irrepsOut)), F64);
        double error = Equivariance.Check(x => [linear.Forward(x[0])], [irrepsIn], [irrepsOut]);
        output.WriteLine($"error: {error:E2}");
        Assert.True(error < 1e-12, $"{error}");
    }

    [Fact]
    public void ScalarTensorProductIsEquivariant()
    {
        var irrepsIn = Irreps.Parse("2x0e+2x1o+2x2e");
        var irrepsOut = Irreps.Parse("3x0e+1x1o+2x2e");
        int elements = 3;
        var tp = new ScalarTensorProduct(irrepsIn, elements, irrepsOut, Weights(new Random(2), ScalarTensorProduct.WeightCount(irrepsIn, elements, irrepsOut)), F64);
        var species = tensor(new long[] { 0, 2, 1, 1, 0 });
        double error = Equivariance.Check(x => [tp.Forward(x[0], species)], [irrepsIn], [irrepsOut]);
        output.WriteLine($"error: {error:E2}");
        Assert.True(error < 1e-12, $"{error}");
    }

    [Fact]
    public void MaceConvolutionIsEquivariant()
    {
        var in1 = Irreps.Parse("4x0e+4x1o");
        var sh = Irreps.SphericalHarmonics(3);
        var tp = new TensorProductUvu(in1, sh, Irreps.Parse("4x0e+4x1o+4x2e+4x3o"), Wigner3jSymbols.Source(), F64);
        var weights = tensor(Weights(new Random(3), 5 * tp.WeightCount), [5, tp.WeightCount], ScalarType.Float64);
        var receiver = tensor(new long[] { 0, 2, 1, 0, 2 });
        double error = Equivariance.Check(x => [tp.ForwardScatter(x[0], x[1], weights, receiver, 3)], [in1, sh], [tp.IrrepsOut]);
        output.WriteLine($"error: {error:E2}");
        Assert.True(error < 1e-12, $"{error}");
    }

    [Fact]
    public void GeneralTensorProductIsEquivariant()
    {
        var in1 = Irreps.Parse("2x0e+2x1o+1x2e");
        var in2 = Irreps.Parse("1x0e+1x1o+1x1e");
        var out_ = Irreps.Parse("2x0e+2x0o+2x1o+2x1e+2x2e+1x3o");
        var probe = TensorProduct.FullyConnected(in1, in2, out_, F64);
        var tp = TensorProduct.FullyConnected(in1, in2, out_, F64, Weights(new Random(4), probe.WeightCount));
        double error = Equivariance.Check(x => [tp.Forward(x[0], x[1])], [in1, in2], [out_]);
        output.WriteLine($"error: {error:E2}");
        Assert.True(error < 1e-12, $"{error}");
    }

    [Fact]
    public void GateIsEquivariant()
    {
        Func<Tensor, Tensor> silu = x => nn.functional.silu(x), tanh = x => x.tanh(), sigmoid = x => x.sigmoid(), abs = x => x.abs();
        var gate = new Gate(Irreps.Parse("4x0e+2x0o"), [silu, tanh], Irreps.Parse("3x0e+2x0o"), [sigmoid, abs], Irreps.Parse("2x1o+1x2e+2x1e"));
        double error = Equivariance.Check(x => [gate.Forward(x[0])], [gate.IrrepsIn], [gate.IrrepsOut]);
        output.WriteLine($"error: {error:E2}");
        Assert.True(error < 1e-12, $"{error}");
    }

    [Fact]
    public void ComposedLayersAreEquivariant()
    {
        // Linear → tensor product with the harmonics of a vector → gate: a small equivariant block end to end.
        var rng = new Random(5);
        Func<Tensor, Tensor> silu = x => nn.functional.silu(x), sigmoid = x => x.sigmoid();
        var gate = new Gate(Irreps.Parse("4x0e"), [silu], Irreps.Parse("4x0e"), [sigmoid], Irreps.Parse("2x1o+2x2e"));
        var features = Irreps.Parse("3x0e+2x1o");
        var linear = new E3Linear(features, features, Weights(rng, E3Linear.WeightCount(features, features)), F64);
        var sh = Irreps.SphericalHarmonics(2);
        var probe = TensorProduct.FullyConnected(features, sh, gate.IrrepsIn, F64);
        var tp = TensorProduct.FullyConnected(features, sh, gate.IrrepsIn, F64, Weights(rng, probe.WeightCount));
        double error = Equivariance.Check(x => [gate.Forward(tp.Forward(linear.Forward(x[0]), SphericalHarmonics.Compute(x[1], 2)))],
            [features, Irreps.Parse("1x1o")], [gate.IrrepsOut]);
        output.WriteLine($"error: {error:E2}");
        Assert.True(error < 1e-12, $"{error}");
    }
}
