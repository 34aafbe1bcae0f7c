using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

public class SphericalHarmonicsTests
{
    private static double[][] Evaluate(double[][] vectors)
    {
        var t = tensor(vectors.SelectMany(v => v).ToArray(), [vectors.Length, 3], ScalarType.Float64);
        var sh = SphericalHarmonics.Compute(t, 3).data<double>().ToArray();
        return Enumerable.Range(0, vectors.Length).Select(i => sh.AsSpan(16 * i, 16).ToArray()).ToArray();
    }

    [Fact]
    public void AlongThePolarAxisOnlyTheZonalComponentsSurvive()
    {
        // e3nn's polar axis is y: Y^l(ŷ) has only its middle (m = 0) component, equal to √(2l+1).
        var sh = Evaluate([[0, 2.5, 0]])[0];
        var expected = new double[16];
        expected[0] = 1; expected[2] = Math.Sqrt(3); expected[6] = Math.Sqrt(5); expected[12] = Math.Sqrt(7);
        for (int k = 0; k < 16; k++) Assert.Equal(expected[k], sh[k], 14);
    }

    [Fact]
    public void DegreeOneIsTheScaledUnitVector()
    {
        var sh = Evaluate([[1.0, -2.0, 0.5]])[0];
        double n = Math.Sqrt(1 + 4 + 0.25);
        Assert.Equal(Math.Sqrt(3) * 1.0 / n, sh[1], 14);
        Assert.Equal(Math.Sqrt(3) * -2.0 / n, sh[2], 14);
        Assert.Equal(Math.Sqrt(3) * 0.5 / n, sh[3], 14);
    }

    [Fact]
    public void AdditionTheoremHoldsWithComponentNormalization()
    {
        // Σ_m Y^l_m(a) Y^l_m(b) = (2l+1) P_l(â·b̂) for component-normalised real harmonics.
        var rng = new Random(3);
        for (int trial = 0; trial < 5; trial++)
        {
            double[] a = [rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5];
            double[] b = [rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5];
            var sh = Evaluate([a, b]);
            double c = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / Math.Sqrt(a.Sum(v => v * v) * b.Sum(v => v * v));
            double[] legendre = [1, c, 0.5 * (3 * c * c - 1), 0.5 * (5 * c * c * c - 3 * c)];
            for (int l = 0; l <= 3; l++)
            {
                double dot = 0;
                for (int m = l * l; m < (l + 1) * (l + 1); m++) dot += sh[0][m] * sh[1][m];
                Assert.Equal((2 * l + 1) * legendre[l], dot, 12);
            }
        }
    }

    [Fact]
    public void AboveDegreeThreeTheRecursionEqualsTheWignerDHarmonicsAtRandomPoints()
    {
        // Two independent constructions: the Clebsch–Gordan recursion (Compute) and √(2l+1) times the middle column
        // of D^l(α, β, 0) (S2Grid.Harmonics), at the point (sin β sin α, cos β, sin β cos α).
        const int lmax = 8;
        var rng = new Random(5);
        double worst = 0;
        for (int trial = 0; trial < 20; trial++)
        {
            double alpha = 2 * Math.PI * rng.NextDouble(), beta = Math.PI * rng.NextDouble(), r = 0.5 + 2 * rng.NextDouble();
            var v = tensor(new[] { r * Math.Sin(beta) * Math.Sin(alpha), r * Math.Cos(beta), r * Math.Sin(beta) * Math.Cos(alpha) }, [1, 3], ScalarType.Float64);
            var computed = SphericalHarmonics.Compute(v, lmax).data<double>().ToArray();
            var reference = S2Grid.Harmonics(lmax, alpha, beta);
            Assert.Equal((lmax + 1) * (lmax + 1), computed.Length);
            for (int k = 0; k < computed.Length; k++) worst = Math.Max(worst, Math.Abs(computed[k] - reference[k]));
        }
        Assert.True(worst < 1e-11, $"worst difference {worst:E2}");
    }

    [Fact]
    public void HigherDegreesAreEquivariantAndComponentNormalised()
    {
        double error = Equivariance.Check(x => [SphericalHarmonics.Compute(x[0], 6)], [Irreps.Parse("1x1o")], [Irreps.SphericalHarmonics(6)]);
        Assert.True(error < 1e-11, $"equivariance error {error:E2}");
        var sh = SphericalHarmonics.Compute(tensor(new[] { 0.3, -1.2, 0.7 }, [1, 3], ScalarType.Float64), 6).data<double>().ToArray();
        for (int l = 0; l <= 6; l++)
            Assert.Equal(2 * l + 1, sh.AsSpan(l * l, 2 * l + 1).ToArray().Sum(v => v * v), 10);
    }
}
