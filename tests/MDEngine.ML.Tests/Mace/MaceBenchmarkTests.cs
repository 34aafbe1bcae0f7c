using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.Mace;

/// <summary>
/// The benchmark model (MACE-MP-0-medium shape, random weights) evaluates to finite, translation-consistent results.
/// With MDENGINE_MACE_BENCHMARK=1 the timing table of docs/benchmarks.md is printed as well
/// (MDENGINE_MACE_BENCHMARK_SIZES=1,2 restricts it to 8n³-atom cells n = 1, 2, without the batch;
/// MDENGINE_MACE_BENCHMARK_THREADS sets torch's thread count, 2 by default).
/// </summary>
public class MaceBenchmarkTests(ITestOutputHelper output)
{
    private static string Constants => Path.Combine(MaceFixture.Directory, "model.safetensors");

    [Fact]
    public void MediumShapedModelEvaluatesAndForcesSumToZero()
    {
        var potential = MaceBenchmark.CreatePotential(Constants, new MaceOptions { Device = "cpu" });
        var s = MaceBenchmark.RattledSilicon(1, 0);
        var result = potential.Compute(s, NeighborListBuilder.Build(s, potential.Cutoff), Quantities.All);
        Assert.True(double.IsFinite(result.Energy));
        var total = result.Forces!.Aggregate(new MDEngine.Geometry.Vec3(), (a, b) => a + b);
        Assert.True(total.Length < 1e-9 * Math.Max(1, result.Forces!.Max(f => f.Length)));
        Assert.True(result.Stress!.Value.IsFinite);
        if (Environment.GetEnvironmentVariable("MDENGINE_MACE_BENCHMARK") == "1")
        {
            var writer = new StringWriter();
            var sizes = Environment.GetEnvironmentVariable("MDENGINE_MACE_BENCHMARK_SIZES")?.Split(',').Select(int.Parse).ToArray();
            int threads = int.Parse(Environment.GetEnvironmentVariable("MDENGINE_MACE_BENCHMARK_THREADS") ?? "2");
            MaceBenchmark.Run(Constants, writer, threads, sizes: sizes, batch: sizes is null);
            output.WriteLine(writer.ToString());
        }
    }
}
