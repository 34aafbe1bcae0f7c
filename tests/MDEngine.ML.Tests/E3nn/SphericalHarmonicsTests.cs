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
}
