using System.Text.RegularExpressions;
using MDEngine.ML.E3nn;
using Xunit.Abstractions;
using MDEngine.ML.IO;
using MDEngine.ML.Mace;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

public class WignerTests(ITestOutputHelper output)
{
    private static double MaxAbsDiff(double[,] a, double[,] b)
    {
        double worst = 0;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) worst = Math.Max(worst, Math.Abs(a[i, j] - b[i, j]));
        return worst;
    }

    private static double[,] Identity(int d)
    {
        var m = new double[d, d];
        for (int i = 0; i < d; i++) m[i, i] = 1;
        return m;
    }

    [Fact]
    public void DegreeOneIsTheRotationMatrixItself()
    {
        var rng = new Random(1);
        for (int t = 0; t < 10; t++)
        {
            var r = Rotations.Random(rng);
            Assert.True(MaxAbsDiff(WignerD.FromMatrix(1, r), r) < 1e-13);
            double a = 6 * rng.NextDouble(), b = 3 * rng.NextDouble(), c = 6 * rng.NextDouble();
            Assert.True(MaxAbsDiff(WignerD.FromAngles(1, a, b, c), Rotations.AnglesToMatrix(a, b, c)) < 1e-13);
        }
    }

    [Fact]
    public void EulerAnglesRoundTripAndThePolarAxisIsY()
    {
        var rng = new Random(2);
        for (int t = 0; t < 20; t++)
        {
            var r = Rotations.Random(rng);
            var (a, b, c) = Rotations.MatrixToAngles(r);
            Assert.True(MaxAbsDiff(Rotations.AnglesToMatrix(a, b, c), r) < 1e-12);
        }
        // Near the poles of the Euler angles (β ≈ 0 or π) the matrix is still recovered to rounding.
        foreach (var r in new[] { Rotations.MatrixX(1e-9), Rotations.MatrixX(Math.PI - 1e-9), Rotations.MatrixY(0.3), Rotations.MatrixZ(1e-10) })
        {
            var (a, b, c) = Rotations.MatrixToAngles(r);
            double e1 = MaxAbsDiff(Rotations.AnglesToMatrix(a, b, c), r), e2 = MaxAbsDiff(WignerD.FromMatrix(1, r), r);
            Assert.True(e1 < 1e-14 && e2 < 1e-14, $"{e1} {e2} at β = {b}");
        }
        var p = Rotations.Apply(Rotations.AnglesToMatrix(0.7, 1.1, 0), [0, 1, 0]);
        var q = Rotations.AnglesToXyz(0.7, 1.1);
        for (int k = 0; k < 3; k++) Assert.Equal(q[k], p[k], 14);
        Assert.Equal(Math.Sin(1.1) * Math.Sin(0.7), q[0], 14);
        Assert.Equal(Math.Cos(1.1), q[1], 14);
    }

    [Fact]
    public void GeneratorsRotateAboutXYAndZ()
    {
        for (int l = 1; l <= 4; l++)
        {
            var x = WignerD.So3Generators(l);
            Assert.True(MaxAbsDiff(WignerD.Exp(x[0], 0.37), WignerD.FromMatrix(l, Rotations.MatrixX(0.37))) < 1e-12);
            Assert.True(MaxAbsDiff(WignerD.Exp(x[1], 0.37), WignerD.FromMatrix(l, Rotations.MatrixY(0.37))) < 1e-12);
            Assert.True(MaxAbsDiff(WignerD.Exp(x[2], 0.37), WignerD.FromMatrix(l, Rotations.MatrixZ(0.37))) < 1e-12);
        }
    }

    [Fact]
    public void WignerDRotatesTheSphericalHarmonics()
    {
        // Y(R r) = D(R) Y(r) for every degree the explicit harmonics cover.
        var rng = new Random(3);
        double worst = 0;
        for (int t = 0; t < 10; t++)
        {
            var r = Rotations.Random(rng);
            double[] v = [Rotations.Gaussian(rng), Rotations.Gaussian(rng), Rotations.Gaussian(rng)];
            var rv = Rotations.Apply(r, v);
            var y = SphericalHarmonics.Compute(tensor(v, [1, 3], ScalarType.Float64), 3).data<double>().ToArray();
            var ry = SphericalHarmonics.Compute(tensor(rv, [1, 3], ScalarType.Float64), 3).data<double>().ToArray();
            for (int l = 0; l <= 3; l++)
            {
                var d = WignerD.FromMatrix(l, r);
                for (int i = 0; i < 2 * l + 1; i++)
                {
                    double s = 0;
                    for (int j = 0; j < 2 * l + 1; j++) s += d[i, j] * y[l * l + j];
                    worst = Math.Max(worst, Math.Abs(s - ry[l * l + i]));
                }
            }
        }
        output.WriteLine($"Y(Rr) = D(R)Y(r), l <= 3: worst {worst:E2}");
        Assert.True(worst < 1e-12, $"worst {worst}");
    }

    [Fact]
    public void WignerDIsAnOrthogonalRepresentation()
    {
        var rng = new Random(4);
        for (int l = 0; l <= 6; l++)
        {
            var r1 = Rotations.Random(rng);
            var r2 = Rotations.Random(rng);
            var d1 = WignerD.FromMatrix(l, r1);
            var d2 = WignerD.FromMatrix(l, r2);
            var d12 = WignerD.FromMatrix(l, Rotations.Multiply(r1, r2));
            Assert.True(MaxAbsDiff(Rotations.Multiply(d1, d2), d12) < 1e-11, $"l = {l}");
            Assert.True(MaxAbsDiff(Rotations.Multiply(d1, Rotations.Transpose(d1)), Identity(2 * l + 1)) < 1e-12, $"l = {l}");
        }
    }

    [Fact]
    public void ReflectionsActThroughParity()
    {
        var rng = new Random(5);
        var r = Rotations.Random(rng);
        var minus = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) minus[i, j] = -r[i, j];
        var d = WignerD.FromMatrix(2, r);
        Assert.True(MaxAbsDiff(new Irrep(2, 1).D(minus), d) < 1e-13);
        var odd = new Irrep(2, -1).D(minus);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(-d[i, j], odd[i, j], 13);
        // A polar vector (1o) transforms with the matrix itself, reflections included.
        Assert.True(MaxAbsDiff(new Irrep(1, -1).D(minus), minus) < 1e-13);
        Assert.True(MaxAbsDiff(Irreps.Parse("2x0e+1x1o").D(minus), BlockDiag(Identity(1), Identity(1), minus)) < 1e-13);
    }

    private static double[,] BlockDiag(params double[][,] blocks)
    {
        int n = blocks.Sum(b => b.GetLength(0)), o = 0;
        var m = new double[n, n];
        foreach (var b in blocks)
        {
            for (int i = 0; i < b.GetLength(0); i++)
                for (int j = 0; j < b.GetLength(1); j++) m[o + i, o + j] = b[i, j];
            o += b.GetLength(0);
        }
        return m;
    }

    [Fact]
    public void ThreeJSymbolsAreInvariantAndNormalizedUpToDegreeFour()
    {
        // C_{ijk} D1_{ia} D2_{jb} D3_{kc} = C_{abc} and Σ C² = 1, every triangle with degrees ≤ 4.
        var rng = new Random(6);
        var r = Rotations.Random(rng);
        int blocks = 0;
        double worst = 0;
        for (int l1 = 0; l1 <= 4; l1++)
            for (int l2 = 0; l2 <= 4; l2++)
                for (int l3 = Math.Abs(l1 - l2); l3 <= Math.Min(4, l1 + l2); l3++)
                {
                    var c = Wigner3jSymbols.Compute(l1, l2, l3);
                    Assert.Equal(1.0, c.Sum(v => v * v), 13);
                    Assert.Contains(c, v => Math.Abs(v) > 1e-3);
                    var rotated = Rotate(c, l1, l2, l3, r);
                    for (int k = 0; k < c.Length; k++) worst = Math.Max(worst, Math.Abs(rotated[k] - c[k]));
                    blocks++;
                }
        output.WriteLine($"3j invariance, {blocks} blocks with degrees <= 4: worst {worst:E2}");
        Assert.Equal(65, blocks);
        Assert.True(worst < 1e-12, $"worst {worst}");
        Assert.Throws<ArgumentException>(() => Wigner3jSymbols.Compute(1, 1, 3));
    }

    [Fact]
    public void ClebschGordanCoefficientsHaveCondonShortleyValues()
    {
        Assert.Equal(1 / Math.Sqrt(3), Wigner3jSymbols.ClebschGordan(1, 1, 1, -1, 0, 0), 1e-15);
        Assert.Equal(-1 / Math.Sqrt(3), Wigner3jSymbols.ClebschGordan(1, 0, 1, 0, 0, 0), 1e-15);
        Assert.Equal(Math.Sqrt(2.0 / 3), Wigner3jSymbols.ClebschGordan(1, 0, 1, 0, 2, 0), 1e-15);
        Assert.Equal(1 / Math.Sqrt(2), Wigner3jSymbols.ClebschGordan(1, 1, 1, 0, 1, 1), 1e-15);
        Assert.Equal(-1 / Math.Sqrt(2), Wigner3jSymbols.ClebschGordan(1, 0, 1, 1, 1, 1), 1e-15);
        Assert.Equal(0.0, Wigner3jSymbols.ClebschGordan(1, 0, 1, 0, 1, 0));
        Assert.Equal(1.0, Wigner3jSymbols.ClebschGordan(3, 3, 2, 2, 5, 5), 1e-15);
    }

    [Fact]
    public void HigherDegreeBlocksAreInvariantToo()
    {
        var r = Rotations.Random(new Random(7));
        foreach (var (l1, l2, l3) in new[] { (5, 5, 10), (6, 4, 3), (3, 6, 5), (7, 7, 0), (5, 3, 4) })
        {
            var c = Wigner3jSymbols.Compute(l1, l2, l3);
            Assert.Equal(1.0, c.Sum(v => v * v), 1e-13);
            var rotated = Rotate(c, l1, l2, l3, r);
            double worst = c.Select((v, k) => Math.Abs(rotated[k] - v)).Max();
            Assert.True(worst < 1e-11, $"({l1},{l2},{l3}): {worst}");
        }
    }

    internal static double[] Rotate(double[] c, int l1, int l2, int l3, double[,] r)
    {
        int d1 = 2 * l1 + 1, d2 = 2 * l2 + 1, d3 = 2 * l3 + 1;
        var a = WignerD.FromMatrix(l1, r);
        var b = WignerD.FromMatrix(l2, r);
        var e = WignerD.FromMatrix(l3, r);
        var result = new double[c.Length];
        for (int i = 0; i < d1; i++)
            for (int j = 0; j < d2; j++)
                for (int k = 0; k < d3; k++)
                {
                    double v = c[(i * d2 + j) * d3 + k];
                    if (v == 0) continue;
                    for (int p = 0; p < d1; p++)
                        for (int q = 0; q < d2; q++)
                        {
                            double w = v * a[i, p] * b[j, q];
                            if (w == 0) continue;
                            for (int s = 0; s < d3; s++) result[(p * d2 + q) * d3 + s] += w * e[k, s];
                        }
                }
        return result;
    }

    [Fact]
    public void KnownSmallBlocks()
    {
        // C(1,1,0) = δ/√3; C(1,1,1) = ε/√6 up to e3nn's sign; zero-degree blocks equal the hard-coded ones.
        var c110 = Wigner3jSymbols.Compute(1, 1, 0);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(i == j ? 1 / Math.Sqrt(3) : 0, c110[i * 3 + j], 15);
        var c111 = Wigner3jSymbols.Compute(1, 1, 1);
        double sign = Math.Sign(c111[(0 * 3 + 1) * 3 + 2]);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                {
                    double eps = (i - j) * (j - k) * (k - i) / 2.0;
                    Assert.Equal(sign * eps / Math.Sqrt(6), c111[(i * 3 + j) * 3 + k], 15);
                }
        var stored = new Wigner3j((_, _, _) => null);
        foreach (var (l1, l2, l3) in new[] { (0, 0, 0), (0, 2, 2), (3, 0, 3), (4, 4, 0) })
        {
            var a = Wigner3jSymbols.Compute(l1, l2, l3);
            var b = stored.Get(l1, l2, l3);
            for (int k = 0; k < a.Length; k++) Assert.Equal(b[k], a[k], 15);
        }
    }

    private static readonly Regex W3jKey = new(@"_w3j_(\d+)_(\d+)_(\d+)$");

    private (int Blocks, double Worst) CompareWithStored(Dictionary<string, SafeTensor> weights)
    {
        var triples = new SortedSet<string>();
        int blocks = 0;
        double worst = 0;
        foreach (var (key, t) in weights)
        {
            var m = W3jKey.Match(key);
            if (!m.Success) continue;
            int l1 = int.Parse(m.Groups[1].Value), l2 = int.Parse(m.Groups[2].Value), l3 = int.Parse(m.Groups[3].Value);
            Assert.Equal(new long[] { 2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1 }, t.Shape);
            var c = Wigner3jSymbols.Compute(l1, l2, l3);
            for (int k = 0; k < c.Length; k++) worst = Math.Max(worst, Math.Abs(c[k] - t.Data[k]));
            blocks++;
            triples.Add($"{l1}{l2}{l3}");
        }
        // Blocks with a zero degree are fixed by normalisation; the phase convention shows in the others.
        output.WriteLine($"stored blocks {string.Join(",", triples)}: {blocks} compared, worst {worst:E2}");
        Assert.True(triples.Count(t => !t.Contains('0')) >= 2, "stored blocks: " + string.Join(",", triples));
        return (blocks, worst);
    }

    [Theory]
    [InlineData("mp0")]
    [InlineData("mpa")]
    public void ComputedBlocksEqualTheBlocksStoredInTheMaceFamilyFixtures(string family)
    {
        // The fixtures were written by e3nn 0.5.0 (float64 state dicts).
        var (_, weights) = MaceModelFile.Read(Path.Combine(AppContext.BaseDirectory, "data", "mace-families", family, "model.model"));
        var (blocks, worst) = CompareWithStored(weights);
        Assert.True(blocks >= 4, $"only {blocks} blocks");
        Assert.True(worst < 1e-14, $"worst {worst} over {blocks} blocks");
    }

    [Fact]
    public void ComputedBlocksEqualTheBlocksStoredInTheExportedMaceModel()
    {
        var weights = SafeTensors.Read(Path.Combine(AppContext.BaseDirectory, "data", "mace", "model.safetensors"));
        var (blocks, worst) = CompareWithStored(weights);
        Assert.True(blocks >= 4, $"only {blocks} blocks");
        Assert.True(worst < 1e-14, $"worst {worst} over {blocks} blocks");
    }
}
