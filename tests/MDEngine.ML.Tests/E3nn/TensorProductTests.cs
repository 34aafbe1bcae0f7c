using MDEngine.ML.Kernels;
using MDEngine.ML.Graphs;
using MDEngine.ML.E3nn;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

public class TensorProductTests(ITestOutputHelper output)
{
    private static readonly TensorOptions F64 = TensorOptions.CpuFloat64;

    private static Tensor Row(params double[] v) => tensor(v, [1, v.Length], ScalarType.Float64);

    private static Tensor Random(Random rng, int rows, int cols) =>
        tensor(Enumerable.Range(0, rows * cols).Select(_ => Rotations.Gaussian(rng)).ToArray(), [rows, cols], ScalarType.Float64);

    [Fact]
    public void VectorTimesVectorIntoAScalarIsTheDotProductOverRootThree()
    {
        var tp = new TensorProduct(Irreps.Parse("1x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x0e"),
            [new(0, 0, 0, "uuu", false)], F64);
        Assert.Equal(0, tp.WeightCount);
        double z = tp.Forward(Row(1, 2, 3), Row(-1, 0.5, 2)).item<double>();
        // α = √(d_out / fan-in) = 1, C(1,1,0) = δ/√3.
        Assert.Equal((-1 + 1 + 6) / Math.Sqrt(3), z, 1e-14);
    }

    [Fact]
    public void VectorTimesVectorIntoAPseudovectorIsTheCrossProductOverRootTwo()
    {
        var tp = new TensorProduct(Irreps.Parse("1x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x1e"),
            [new(0, 0, 0, "uuu", false)], F64);
        double[] a = [1, 2, 3], b = [-1, 0.5, 2];
        var z = tp.Forward(Row(a), Row(b)).data<double>().ToArray();
        double[] cross = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
        // α = √3, C(1,1,1) = ±ε/√6, so z = ±(a × b)/√2. The computed block has C[x,y,z] = +1/√6, which makes
        // z = +(a × b)/√2. (The fixtures store no (1,1,1) block; the same construction reproduces the four they do
        // store, see WignerTests.)
        Assert.True(Wigner3jSymbols.Compute(1, 1, 1)[0 * 9 + 1 * 3 + 2] > 0);
        for (int k = 0; k < 3; k++) Assert.Equal(cross[k] / Math.Sqrt(2), z[k], 14);
    }

    [Fact]
    public void UvwMixesChannelsWithWeightsAndElementNormalization()
    {
        // 2x0e ⊗ 1x0e → 1x0e, uvw: z = Σ_u W[u,0,0] x_u y / √(mul1·mul2) (C(0,0,0) = 1).
        var tp = new TensorProduct(Irreps.Parse("2x0e"), Irreps.Parse("1x0e"), Irreps.Parse("1x0e"),
            [new(0, 0, 0, "uvw", true)], F64, sharedWeights: [3.0, -0.5]);
        Assert.Equal(2, tp.WeightCount);
        double z = tp.Forward(Row(1.5, 2), Row(4)).item<double>();
        Assert.Equal((3.0 * 1.5 - 0.5 * 2) * 4 / Math.Sqrt(2), z, 1e-14);
    }

    [Fact]
    public void ModesKeepOrMixTheRightChannels()
    {
        var rng = new Random(7);
        var x = Random(rng, 3, 2);   // 2x0e
        var y = Random(rng, 3, 3);   // 3x0e
        var xs = x.data<double>().ToArray();
        var ys = y.data<double>().ToArray();
        // uvu: z[u] = Σ_v W[u,v] x_u y_v / √3 (fan-in = mul2).
        var w = Enumerable.Range(0, 6).Select(_ => Rotations.Gaussian(rng)).ToArray();
        var uvu = new TensorProduct(Irreps.Parse("2x0e"), Irreps.Parse("3x0e"), Irreps.Parse("2x0e"), [new(0, 0, 0, "uvu", true)], F64, w).Forward(x, y).data<double>().ToArray();
        var uvv = new TensorProduct(Irreps.Parse("2x0e"), Irreps.Parse("3x0e"), Irreps.Parse("3x0e"), [new(0, 0, 0, "uvv", true)], F64, w).Forward(x, y).data<double>().ToArray();
        for (int n = 0; n < 3; n++)
        {
            for (int u = 0; u < 2; u++)
            {
                double s = 0;
                for (int v = 0; v < 3; v++) s += w[u * 3 + v] * xs[n * 2 + u] * ys[n * 3 + v];
                Assert.Equal(s / Math.Sqrt(3), uvu[n * 2 + u], 13);
            }
            for (int v = 0; v < 3; v++)
            {
                double s = 0;
                for (int u = 0; u < 2; u++) s += w[u * 3 + v] * xs[n * 2 + u] * ys[n * 3 + v];
                Assert.Equal(s / Math.Sqrt(2), uvv[n * 3 + v], 13);
            }
        }
        // uuw and uuu pair channel u with channel u only.
        var y2 = Random(rng, 3, 2);
        var y2s = y2.data<double>().ToArray();
        var w2 = new[] { 0.3, -1.2, 0.7, 2.0 };  // uuw: [u, w] 2x2
        var uuw = new TensorProduct(Irreps.Parse("2x0e"), Irreps.Parse("2x0e"), Irreps.Parse("2x0e"), [new(0, 0, 0, "uuw", true)], F64, w2).Forward(x, y2).data<double>().ToArray();
        var uuu = new TensorProduct(Irreps.Parse("2x0e"), Irreps.Parse("2x0e"), Irreps.Parse("2x0e"), [new(0, 0, 0, "uuu", true)], F64, [0.5, -2.0]).Forward(x, y2).data<double>().ToArray();
        for (int n = 0; n < 3; n++)
            for (int k = 0; k < 2; k++)
            {
                double s = 0;
                for (int u = 0; u < 2; u++) s += w2[u * 2 + k] * xs[n * 2 + u] * y2s[n * 2 + u];
                Assert.Equal(s / Math.Sqrt(2), uuw[n * 2 + k], 13);
                Assert.Equal((k == 0 ? 0.5 : -2.0) * xs[n * 2 + k] * y2s[n * 2 + k], uuu[n * 2 + k], 13);
            }
    }

    [Fact]
    public void PathNormalizationCountsEveryPathIntoTheSameOutput()
    {
        // Two uvw paths into one 1o output: element normalisation divides by the summed fan-in (2·1 + 1·1).
        var tp = new TensorProduct(Irreps.Parse("2x0e+1x1o"), Irreps.Parse("1x1o+1x0e"), Irreps.Parse("1x1o"),
            [new(0, 0, 0, "uvw", true), new(1, 1, 0, "uvw", true, PathWeight: 2.0)], F64, sharedWeights: [1, 1, 1]);
        Assert.Equal(Math.Sqrt(3.0 / 3), tp.PathCoefficients[0], 15);
        Assert.Equal(Math.Sqrt(3.0 * 2 / 3), tp.PathCoefficients[1], 15);
        var path = new TensorProduct(Irreps.Parse("2x0e+1x1o"), Irreps.Parse("1x1o+1x0e"), Irreps.Parse("1x1o"),
            [new(0, 0, 0, "uvw", true), new(1, 1, 0, "uvw", true)], F64, sharedWeights: [1, 1, 1], pathNormalization: PathNormalization.Path);
        Assert.Equal(Math.Sqrt(3.0 / (2 * 2)), path.PathCoefficients[0], 15);
        Assert.Equal(Math.Sqrt(3.0 / (1 * 2)), path.PathCoefficients[1], 15);
        var norm = new TensorProduct(Irreps.Parse("1x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x0e"),
            [new(0, 0, 0, "uuu", false)], F64, irrepNormalization: IrrepNormalization.Norm);
        Assert.Equal(3.0, norm.PathCoefficients[0], 15);
    }

    [Fact]
    public void RejectsInstructionsThatBreakParityTriangleOrMultiplicities()
    {
        Assert.Throws<ArgumentException>(() => new TensorProduct(Irreps.Parse("1x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x0o"), [new(0, 0, 0, "uuu", false)], F64));
        Assert.Throws<ArgumentException>(() => new TensorProduct(Irreps.Parse("1x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x3e"), [new(0, 0, 0, "uuu", false)], F64));
        Assert.Throws<ArgumentException>(() => new TensorProduct(Irreps.Parse("2x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x0e"), [new(0, 0, 0, "uvu", true)], F64));
        Assert.Throws<ArgumentException>(() => new TensorProduct(Irreps.Parse("1x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x0e"), [new(0, 0, 0, "uvx", true)], F64));
        Assert.Throws<ArgumentException>(() => new TensorProduct(Irreps.Parse("1x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x0e"), [new(0, 0, 0, "uvw", true)], F64, sharedWeights: [1, 2]));
    }

    [Fact]
    public void UvuInstructionsReproduceMaceConvolution()
    {
        // MACE's convolution (TensorProductUvu) as instructions: node features 4x0e+4x1o+4x2e with harmonics
        // 0e+1o+2e+3o into every target irrep, paths ordered by the sorted output, weights per edge.
        var in1 = Irreps.Parse("4x0e+4x1o+4x2e");
        var in2 = Irreps.SphericalHarmonics(3);
        var target = Irreps.Parse("4x0e+4x1o+4x2e+4x3o");
        var uvu = new TensorProductUvu(in1, in2, target, Wigner3jSymbols.Source(), F64);

        var outs = new List<MulIrrep>();
        var raw = new List<(int I1, int I2, int K)>();
        for (int i = 0; i < in1.Count; i++)
            for (int j = 0; j < in2.Count; j++)
                foreach (var ir in in1[i].Ir.Times(in2[j].Ir))
                    if (target.Contains(ir)) { raw.Add((i, j, outs.Count)); outs.Add(new MulIrrep(in1[i].Mul, ir)); }
        var (sorted, perm) = new Irreps(outs).Sort();
        Assert.Equal(uvu.IrrepsOut, sorted);
        var instructions = raw.Select(r => new TensorProductInstruction(r.I1, r.I2, perm[r.K], "uvu", true)).OrderBy(i => i.Out).ToArray();
        var tp = new TensorProduct(in1, in2, sorted, instructions, F64);
        Assert.Equal(uvu.WeightCount, tp.WeightCount);

        var rng = new Random(8);
        int edges = 6;
        var x1 = Random(rng, edges, in1.Dim);
        var x2 = Random(rng, edges, in2.Dim);
        var w = Random(rng, edges, tp.WeightCount);
        var expected = uvu.ForwardScatter(x1, x2, w, arange(edges, ScalarType.Int64), edges);
        var actual = tp.Forward(x1, x2, w);
        double diff = (expected - actual).abs().max().item<double>();
        output.WriteLine($"uvu vs TensorProductUvu: max difference {diff:E2}");
        Assert.True(diff < 1e-13, $"max difference {diff}");
        Assert.True(expected.abs().max().item<double>() > 0.1);
    }

    [Fact]
    public void EveryModeIsEquivariantUnderRotationsAndParity()
    {
        var in1 = Irreps.Parse("2x0e+2x1o+2x2e+2x1e");
        var in2 = Irreps.Parse("2x0e+2x1o+2x2o");
        var out_ = Irreps.Parse("2x0e+2x1o+2x1e+2x2e+2x2o+2x3o");
        var rng = new Random(9);
        foreach (var mode in TensorProductInstruction.Modes)
        {
            var instructions = new List<TensorProductInstruction>();
            for (int i = 0; i < in1.Count; i++)
                for (int j = 0; j < in2.Count; j++)
                    for (int o = 0; o < out_.Count; o++)
                        if (in1[i].Ir.Times(in2[j].Ir).Contains(out_[o].Ir)) instructions.Add(new(i, j, o, mode, true));
            var probe = new TensorProduct(in1, in2, out_, instructions, F64);
            var weights = Enumerable.Range(0, probe.WeightCount).Select(_ => Rotations.Gaussian(rng)).ToArray();
            var tp = new TensorProduct(in1, in2, out_, instructions, F64, weights);
            double error = Equivariance.Check(x => [tp.Forward(x[0], x[1])], [in1, in2], [out_]);
            output.WriteLine($"{mode}: shared {error:E2}");
            Assert.True(error < 1e-12, $"{mode}: {error}");
            // External per-sample weights are invariant inputs.
            var external = Random(rng, 5, probe.WeightCount);
            double errorExternal = Equivariance.Check(x => [probe.Forward(x[0], x[1], external)], [in1, in2], [out_]);
            output.WriteLine($"{mode}: external {errorExternal:E2}");
            Assert.True(errorExternal < 1e-12, $"{mode} external: {errorExternal}");
        }
    }

    [Fact]
    public void DocumentedExampleRunsWithExternalWeights()
    {
        // The example of docs/o3.md: six uvu paths, one weight per channel and path and sample.
        var tp = new TensorProduct(Irreps.Parse("8x0e+8x1o"), Irreps.Parse("0e+1o+2e"), Irreps.Parse("8x0e+8x1o+8x2e"),
            [new(0, 0, 0, "uvu", true), new(0, 1, 1, "uvu", true), new(1, 1, 0, "uvu", true), new(1, 2, 1, "uvu", true),
             new(0, 2, 2, "uvu", true), new(1, 1, 2, "uvu", true)],
            F64);
        Assert.Equal(6 * 8, tp.WeightCount);
        Assert.False(tp.HasSharedWeights);
        // Two paths reach each output (fan-in 1 each): α = √(1/2) into 0e, √(3/2) into 1o, √(5/2) into 2e.
        Assert.Equal(new[] { Math.Sqrt(0.5), Math.Sqrt(1.5), Math.Sqrt(0.5), Math.Sqrt(1.5), Math.Sqrt(2.5), Math.Sqrt(2.5) }, tp.PathCoefficients, new ToleranceComparer(1e-14));
        var rng = new Random(13);
        var w = Random(rng, 4, tp.WeightCount);
        double error = Equivariance.Check(x => [tp.Forward(x[0], x[1], w)], [tp.IrrepsIn1, tp.IrrepsIn2], [tp.IrrepsOut], batch: 4);
        Assert.True(error < 1e-12, $"{error}");
        Assert.Throws<ArgumentException>(() => tp.Forward(Random(rng, 4, 32), Random(rng, 4, 9)));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double v) => 0;
    }

    [Fact]
    public void FullyConnectedBuildsEveryAllowedPath()
    {
        var tp = TensorProduct.FullyConnected(Irreps.Parse("2x0e+1x1o"), Irreps.Parse("1x0e+1x1o"), Irreps.Parse("3x0e+2x1o+1x1e"), F64);
        // 0e⊗0e→0e, 0e⊗1o→1o, 1o⊗0e→1o, 1o⊗1o→0e, 1o⊗1o→1e.
        Assert.Equal(5, tp.Instructions.Count);
        Assert.Equal(2 * 1 * 3 + 2 * 1 * 2 + 1 * 1 * 2 + 1 * 1 * 3 + 1 * 1 * 1, tp.WeightCount);
    }
}
