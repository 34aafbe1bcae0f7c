using MDEngine.ML.Kernels;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

/// <summary>The blocked matrix product of the radial networks' layers against torch's, forward and reverse, on shapes
/// that take every edge of its blocking: row counts that are not a multiple of four or of the row block, a depth over
/// one chunk (partial sums added), column counts that end in a partial panel and a partial vector.</summary>
public class DenseLayerTests
{
    [Theory]
    [InlineData(ScalarType.Float64, 1e-13)]
    [InlineData(ScalarType.Float32, 2e-6)]
    public void EqualsTorchMatrixProductForwardAndReverse(ScalarType dtype, double tolerance)
    {
        manual_seed(21);
        foreach (var (rows, depth, columns) in new[] { (1, 8, 64), (7, 64, 1280), (70, 300, 13), (130, 64, 5), (3, 513, 24) })
        {
            var w = randn(depth, columns, dtype: ScalarType.Float64).to(dtype);
            var x0 = randn(rows, depth, dtype: ScalarType.Float64).to(dtype);
            var probe = randn(rows, columns, dtype: ScalarType.Float64).to(dtype);
            var kernel = DenseLayerFunction.For(w)!;

            var x = x0.clone().requires_grad_(true);
            var y = DenseLayerFunction.apply(x, kernel, "test");
            var gx = autograd.grad([(y * probe).sum()], [x])[0];
            var xr = x0.to(ScalarType.Float64).requires_grad_(true);
            var yr = xr.matmul(w.to(ScalarType.Float64));
            var gxr = autograd.grad([(yr * probe.to(ScalarType.Float64)).sum()], [xr])[0];

            foreach (var (mine, reference) in new[] { (y, yr), (gx, gxr) })
            {
                double scale = reference.abs().max().item<double>();
                double error = (mine.to(ScalarType.Float64) - reference.detach()).abs().max().item<double>();
                Assert.True(error <= tolerance * scale * Math.Sqrt(Math.Max(depth, columns)), $"{rows}×{depth}×{columns}: max |difference| {error:E3} relative to {scale:E3}");
            }
        }
    }
}
