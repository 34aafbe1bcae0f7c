using MDEngine.ML.E3nn;
using MDEngine.ML.Kernels;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

/// <summary>The per-edge row functions (spherical harmonics, radial basis) against their torch formulation, values and
/// reverse pass, in both precisions; edge vectors of all directions and lengths across the cutoff.</summary>
[Collection("torch threads")] // the three-thread case changes the process-wide thread count
public class RowFunctionTests
{
    private static void AssertSame(Tensor kernel, Tensor reference, double tolerance, string what)
    {
        double scale = Math.Max(1, reference.abs().max().item<double>());
        double error = (kernel.to(ScalarType.Float64) - reference.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(error <= tolerance * scale, $"{what}: {error:E2} (scale {scale:G3})");
    }

    private static (Tensor Value, Tensor Gradient) ValueAndGradient(Func<Tensor, Tensor> f, Tensor x0, Tensor probe)
    {
        var x = x0.clone().requires_grad_(true);
        var y = f(x);
        return (y.detach(), autograd.grad([(y * probe).sum()], [x])[0]);
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-13)]
    [InlineData(ScalarType.Float32, 2e-6)]
    public void SphericalHarmonicsEqualTorchs(ScalarType dtype, double tolerance)
    {
        manual_seed(5);
        var vectors = (randn(1000, 3, dtype: ScalarType.Float64) * 3).to(dtype);
        vectors[0] = tensor(new[] { 0.0, 2.5, 0.0 }).to(dtype); // the polar axis
        for (int lmax = 1; lmax <= SphericalHarmonics.MaxPolynomialL; lmax++) // l = 0 alone is a constant: no reverse pass in torch
        {
            var probe = randn(1000, (lmax + 1) * (lmax + 1), dtype: ScalarType.Float64).to(dtype);
            var rows = new SphericalHarmonicsRows(lmax);
            var (y, g) = ValueAndGradient(rows.Apply, vectors, probe);
            var (yr, gr) = ValueAndGradient(v => SphericalHarmonics.Compute(v, lmax), vectors.to(ScalarType.Float64), probe.to(ScalarType.Float64));
            AssertSame(y, yr, tolerance, $"Y, l ≤ {lmax}");
            AssertSame(g, gr, tolerance, $"∂/∂v, l ≤ {lmax}");
        }
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-13, true)]
    [InlineData(ScalarType.Float32, 2e-6, true)]
    [InlineData(ScalarType.Float64, 1e-13, false)]
    public void RadialBasisEqualsTorchs(ScalarType dtype, double tolerance, bool standard)
    {
        // The standard frequencies nπ/r_c take the angle-addition recurrence; others a sine per function.
        RadialBasis Basis(TensorOptions options) => standard
            ? RadialBasis.Standard(8, 5.0, 5, options)
            : new RadialBasis([0.7, 1.3, 2.9, 3.1, 4.4, 5.0, 6.2, 7.7], 0.6, 5.0, 6, options);
        var basis = Basis(new TensorOptions(dtype, CPU));
        var reference = Basis(TensorOptions.CpuFloat64);
        var lengths = linspace(0.4, 5.6, 777, dtype: ScalarType.Float64).unsqueeze(1).to(dtype); // across the cutoff
        var probe = randn(777, 8, dtype: ScalarType.Float64).to(dtype);
        var (y, g) = ValueAndGradient(basis.Rows().Apply, lengths, probe);
        var (yr, gr) = ValueAndGradient(reference.Forward, lengths.to(ScalarType.Float64), probe.to(ScalarType.Float64));
        AssertSame(y, yr, tolerance, "basis");
        AssertSame(g, gr, tolerance, "∂/∂r");
        var beyond = lengths.squeeze(1) >= 5.0;
        Assert.Equal(0.0, y.index(beyond).abs().max().to(ScalarType.Float64).item<double>()); // zero from the cutoff on, as the envelope
        Assert.Equal(0.0, g.index(beyond).abs().max().to(ScalarType.Float64).item<double>());
    }

    [Fact]
    public void RowsSplitOverThreadsGiveTheSameResult()
    {
        manual_seed(6);
        var vectors = randn(3001, 3, dtype: ScalarType.Float64);
        var probe = randn(3001, 16, dtype: ScalarType.Float64);
        var rows = new SphericalHarmonicsRows(3);
        var (one, gOne) = ValueAndGradient(rows.Apply, vectors, probe);
        int before = get_num_threads();
        set_num_threads(3);
        try
        {
            using var owned = CpuParallel.OwnThreads();
            var (three, gThree) = ValueAndGradient(rows.Apply, vectors, probe);
            Assert.Equal(0.0, (three - one).abs().max().item<double>());
            Assert.Equal(0.0, (gThree - gOne).abs().max().item<double>());
        }
        finally { set_num_threads(before); }
    }
}
