using MDEngine.ML.Kernels;
using MDEngine.ML.Graphs;
using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

public class LayersTests
{
    private static readonly TensorOptions F64 = TensorOptions.CpuFloat64;

    [Fact]
    public void LinearScalesEachOutputByInverseSquareRootOfFanIn()
    {
        // 2x0e+1x1o → 1x0e+2x1o: weights [2x1 for 0e] then [1x2 for 1o].
        var linear = new E3Linear(Irreps.Parse("2x0e+1x1o"), Irreps.Parse("1x0e+2x1o"), [3.0, -1.0, 2.0, 0.5], F64);
        var x = tensor(new double[] { 1, 2, 0.1, 0.2, 0.3 }, [1, 5], ScalarType.Float64);
        var y = linear.Forward(x).data<double>().ToArray();
        var expected = new[] { (3.0 * 1 - 1.0 * 2) / Math.Sqrt(2), 0.2, 0.4, 0.6, 0.05, 0.1, 0.15 };
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], y[k], 14);
    }

    [Fact]
    public void FullyConnectedNetDividesBySquareRootOfWidthAndUsesNormalizedSilu()
    {
        var net = new FullyConnectedNet([([1.0, 2.0], 2, 1), ([3.0], 1, 1)], F64);
        var y = net.Forward(tensor(new double[] { 0.5, -1.0 }, [1, 2], ScalarType.Float64)).item<double>();
        double h = (0.5 * 1 - 1.0 * 2) / Math.Sqrt(2);
        double silu = h / (1 + Math.Exp(-h));
        Assert.Equal(3.0 * FullyConnectedNet.SiluSecondMomentNormalization * silu, y, 14);
    }

    [Fact]
    public void SiluNormalizationIsTheInverseRootSecondMomentUnderAGaussian()
    {
        // e3nn estimates the constant from 10^6 samples; the exact integral agrees to the sampling error.
        double sum = 0, dz = 1e-3;
        for (double z = -12; z <= 12; z += dz)
        {
            double s = z / (1 + Math.Exp(-z));
            sum += s * s * Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI) * dz;
        }
        Assert.Equal(FullyConnectedNet.SiluSecondMomentNormalization, 1 / Math.Sqrt(sum), 2);
    }

    [Fact]
    public void BesselBasisAndEnvelopeMatchTheirFormulas()
    {
        double rc = 5.0; int p = 5;
        var basis = RadialBasis.Standard(8, rc, p, F64);
        var r = tensor(new double[] { 0.7, 2.3, 4.9, 5.0, 6.0 }, [5, 1], ScalarType.Float64);
        var values = basis.Forward(r).data<double>().ToArray();
        double[] rs = [0.7, 2.3, 4.9, 5.0, 6.0];
        for (int i = 0; i < rs.Length; i++)
        {
            double x = rs[i] / rc;
            double u = x < 1 ? 1 - (p + 1) * (p + 2) / 2.0 * Math.Pow(x, p) + p * (p + 2) * Math.Pow(x, p + 1) - p * (p + 1) / 2.0 * Math.Pow(x, p + 2) : 0;
            for (int n = 1; n <= 8; n++)
                Assert.Equal(Math.Sqrt(2 / rc) * Math.Sin(n * Math.PI * rs[i] / rc) / rs[i] * u, values[i * 8 + n - 1], 13);
        }
        // Envelope: 1 at 0, and value, slope and curvature vanish at r_c.
        var e = basis.Envelope(tensor(new double[] { 1e-9, rc - 1e-4, rc }, [3, 1], ScalarType.Float64)).data<double>().ToArray();
        Assert.Equal(1.0, e[0], 12);
        Assert.True(Math.Abs(e[1]) < 1e-10);
        Assert.Equal(0.0, e[2]);
    }

    [Fact]
    public void UvuProductOfTwoVectorsIntoAScalarIsTheWeightedDotProduct()
    {
        // 1x1o ⊗ 1x1o → 0e: C(1,1,0) = δ/√3 and √(2·0+1) = 1, so out = w (x·y)/√3.
        var w3j = new Wigner3j((_, _, _) => null);
        var tp = new TensorProductUvu(Irreps.Parse("1x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x0e"), w3j, F64);
        Assert.Equal(1, tp.WeightCount);
        var x = tensor(new double[] { 1, 2, 3 }, [1, 3], ScalarType.Float64);
        var y = tensor(new double[] { -1, 0.5, 2 }, [1, 3], ScalarType.Float64);
        var w = tensor(new double[] { 1.5 }, [1, 1], ScalarType.Float64);
        var receiver = tensor(new long[] { 0 });
        var result = tp.ForwardScatter(x, y, w, receiver, 1).item<double>();
        Assert.Equal(1.5 * (-1 + 1 + 6) / Math.Sqrt(3), result, 14);
    }
}
