using MDEngine.ML.E3nn;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

public class S2GridTests(ITestOutputHelper output)
{
    private static Tensor Random(Random rng, int rows, int cols) =>
        tensor(Enumerable.Range(0, rows * cols).Select(_ => Rotations.Gaussian(rng)).ToArray(), [rows, cols], ScalarType.Float64);

    [Fact]
    public void ResolutionDefaultsFollowE3nn()
    {
        Assert.Equal((5, 12, 11), S2Grid.Complete(5, null, null));
        Assert.Equal((6, 100, 101), S2Grid.Complete(6, 100, 101));
        Assert.Equal((49, 100, 99), S2Grid.Complete(null, 100, null));
        Assert.Throws<ArgumentException>(() => S2Grid.Complete(6, 12, 13));
    }

    [Fact]
    public void QuadratureIntegratesPolynomialsInCosBetaExactly()
    {
        for (int b = 1; b <= 6; b++)
        {
            var w = S2Grid.QuadratureWeights(b);
            var betas = S2Grid.Betas(2 * b);
            for (int k = 0; k < 2 * b; k++)
            {
                double exact = k % 2 == 1 ? 0 : 2.0 / (k + 1);   // ∫ cos^k β sin β dβ over [0, π]
                double sum = 0;
                for (int i = 0; i < 2 * b; i++) sum += w[i] * Math.Pow(Math.Cos(betas[i]), k);
                Assert.Equal(exact, sum, 1e-13);
            }
        }
    }

    [Fact]
    public void GridHarmonicsAreTheLibrarysHarmonicsAtTheGridPoints()
    {
        var rng = new Random(10);
        for (int t = 0; t < 5; t++)
        {
            double alpha = 2 * Math.PI * rng.NextDouble(), beta = Math.PI * rng.NextDouble();
            var p = Rotations.AnglesToXyz(alpha, beta);
            var expected = SphericalHarmonics.Compute(tensor(p, [1, 3], ScalarType.Float64), 3).data<double>().ToArray();
            var actual = S2Grid.Harmonics(3, alpha, beta);
            for (int k = 0; k < 16; k++) Assert.Equal(expected[k], actual[k], 1e-13);
        }
        // The grid signal is Σ n_l F_lm Y_lm(x_ij)/√(4π) ("component": n_l = √(4π)/(√(2l+1)√(lmax+1))).
        var to = new ToS2Grid(3);
        var x = Random(rng, 1, 16);
        var f = to.Forward(x).data<double>().ToArray();
        var xs = x.data<double>().ToArray();
        var betas = S2Grid.Betas(to.ResBeta);
        var alphas = S2Grid.Alphas(to.ResAlpha);
        for (int i = 0; i < to.ResBeta; i += 3)
            for (int j = 0; j < to.ResAlpha; j += 2)
            {
                var y = SphericalHarmonics.Compute(tensor(Rotations.AnglesToXyz(alphas[j], betas[i]), [1, 3], ScalarType.Float64), 3).data<double>().ToArray();
                double v = 0;
                for (int l = 0; l <= 3; l++)
                    for (int m = l * l; m < (l + 1) * (l + 1); m++) v += xs[m] * y[m] / Math.Sqrt(2 * l + 1) / 2;
                Assert.Equal(v, f[i * to.ResAlpha + j], 1e-13);
            }
    }

    [Theory]
    [InlineData(5, 0, 0, S2Normalization.Component)]
    [InlineData(4, 20, 21, S2Normalization.Component)]
    [InlineData(6, 16, 14, S2Normalization.Norm)]
    [InlineData(3, 8, 7, S2Normalization.Integral)]
    public void FromS2GridInvertsToS2Grid(int lmax, int resBeta, int resAlpha, S2Normalization normalization)
    {
        (int, int)? res = resBeta == 0 ? null : (resBeta, resAlpha);
        var to = new ToS2Grid(lmax, res, normalization);
        var from = new FromS2Grid((to.ResBeta, to.ResAlpha), lmax, normalization);
        var x = Random(new Random(lmax), 4, (lmax + 1) * (lmax + 1));
        var signal = to.Forward(x);
        Assert.Equal(new long[] { 4, to.ResBeta, to.ResAlpha }, signal.shape);
        double error = (from.Forward(signal) - x).abs().max().item<double>();
        output.WriteLine($"lmax {lmax} {to.ResBeta}x{to.ResAlpha} {normalization}: round trip {error:E2}");
        Assert.True(error < 1e-12, $"round trip error {error}");
    }

    [Fact]
    public void IntegralNormalizationPreservesTheNormAndProjectsAwayHigherDegrees()
    {
        var rng = new Random(11);
        var to = new ToS2Grid(4, (10, 9), S2Normalization.Integral);
        var x = Random(rng, 1, 25);
        var f = to.Forward(x).data<double>().ToArray();
        var w = S2Grid.QuadratureWeights(5);
        double integral = 0;
        for (int i = 0; i < 10; i++)
            for (int j = 0; j < 9; j++) integral += w[i] * 2 * Math.PI / 9 * f[i * 9 + j] * f[i * 9 + j];
        Assert.Equal(x.pow(2).sum().item<double>(), integral, 1e-12);
        // A degree-4 signal read back with lmax = 2 keeps exactly its degrees ≤ 2.
        var low = new FromS2Grid((10, 9), 2, S2Normalization.Integral).Forward(to.Forward(x));
        Assert.True((low - x.narrow(1, 0, 9)).abs().max().item<double>() < 1e-12);
        // The same with e3nn's default normalisation, where FromS2Grid must know the band limit (lmax_in) it inverts.
        var toComponent = new ToS2Grid(4, (10, 9));
        var lowComponent = new FromS2Grid((10, 9), 2, lmaxIn: 4).Forward(toComponent.Forward(x));
        Assert.True((lowComponent - x.narrow(1, 0, 9)).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void RotatingAboutThePolarAxisByOneStepShiftsTheAlphaAxis()
    {
        // e3nn's polar axis is y: a rotation R_y(2π/M) moves grid point (i, j) to (i, j + 1), so the rotated
        // coefficients D(R) F give the signal rolled by one step along α.
        int lmax = 4;
        var to = new ToS2Grid(lmax, (10, 11));
        var irreps = Irreps.SphericalHarmonics(lmax);
        var x = Random(new Random(12), 2, irreps.Dim);
        var r = Rotations.MatrixY(2 * Math.PI / to.ResAlpha);
        var rotated = to.Forward(irreps.Transform(x, r));
        var shifted = to.Forward(x).roll(1, 2);
        Assert.True((rotated - shifted).abs().max().item<double>() < 1e-12);
        // Not a symmetry of the grid: a rotation about z by the same angle is no shift.
        var rz = to.Forward(irreps.Transform(x, Rotations.MatrixZ(2 * Math.PI / to.ResAlpha)));
        Assert.True((rz - shifted).abs().max().item<double>() > 1e-3);
    }
}
