using MDEngine.ML.E3nn;
using MDEngine.ML.Kernels;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

/// <summary>The radial networks' CPU node (<see cref="FullyConnectedNetFunction"/>) against torch, forward and reverse:
/// one layer on shapes that take every edge of the matrix product's blocking (row counts that are not a multiple of four
/// or of the row block, a depth over one chunk, column counts that end in a partial panel and a partial vector), and
/// whole networks with the normalised SiLU between layers, rows split over threads or not.</summary>
[Collection("torch threads")] // the two-thread case changes the process-wide thread count
public class DenseLayerTests
{
    private static void AssertClose(Tensor mine, Tensor reference, double tolerance, string what)
    {
        double scale = Math.Max(1e-12, reference.abs().max().item<double>());
        double error = (mine.to(ScalarType.Float64) - reference.detach()).abs().max().item<double>();
        Assert.True(error <= tolerance * scale, $"{what}: max |difference| {error:E3} relative to {scale:E3}");
    }

    /// <summary>The network y = W_L(c·silu(… c·silu(x W_1))) and ∂(y·probe)/∂x, by the node and by torch in float64.</summary>
    private static void Compare(int rows, int[] widths, ScalarType dtype, double tolerance)
    {
        var weights = widths.Zip(widths.Skip(1), (k, n) => randn(k, n, dtype: ScalarType.Float64)).ToArray();
        var x0 = randn(rows, widths[0], dtype: ScalarType.Float64);
        var probe = randn(rows, widths[^1], dtype: ScalarType.Float64);
        const double c = FullyConnectedNet.SiluSecondMomentNormalization;

        var x = x0.to(dtype).requires_grad_(true);
        var kernels = weights.Select(w => DenseLayerKernels.For(w.to(dtype))!).ToArray();
        var y = FullyConnectedNetFunction.apply(x, kernels, c, "test");
        var gx = autograd.grad([(y * probe.to(dtype)).sum()], [x])[0];

        var xr = x0.clone().requires_grad_(true);
        var yr = xr;
        for (int k = 0; k < weights.Length; k++)
        {
            yr = yr.matmul(weights[k].to(dtype).to(ScalarType.Float64));
            if (k < weights.Length - 1) yr = nn.functional.silu(yr) * c;
        }
        var gxr = autograd.grad([(yr * probe).sum()], [xr])[0];
        string shape = string.Join("→", widths);
        double depth = Math.Sqrt(widths.Max());
        AssertClose(y, yr, tolerance * depth, $"{rows} rows, {shape}");
        AssertClose(gx, gxr, tolerance * depth, $"∂/∂x, {rows} rows, {shape}");
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-13)]
    [InlineData(ScalarType.Float32, 2e-6)]
    public void OneLayerEqualsTorchsMatrixProduct(ScalarType dtype, double tolerance)
    {
        manual_seed(21);
        foreach (var (rows, depth, columns) in new[] { (1, 8, 64), (7, 64, 1280), (70, 300, 13), (130, 64, 5), (3, 513, 24) })
            Compare(rows, [depth, columns], dtype, tolerance);
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-13)]
    [InlineData(ScalarType.Float32, 5e-6)]
    public void NetworkEqualsTorch(ScalarType dtype, double tolerance)
    {
        manual_seed(22);
        Compare(1, [8, 64, 64, 64, 1280], dtype, tolerance);
        Compare(301, [10, 64, 64, 64, 1280], dtype, tolerance);
        Compare(77, [5, 17, 3], dtype, tolerance);
        int before = get_num_threads();
        set_num_threads(2);
        try
        {
            using var owned = CpuParallel.OwnThreads();
            Compare(301, [10, 64, 64, 64, 1280], dtype, tolerance); // two ranges of rows
        }
        finally { set_num_threads(before); }
    }
}
