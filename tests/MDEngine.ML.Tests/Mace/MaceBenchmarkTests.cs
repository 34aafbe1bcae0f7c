using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.Mace;

/// <summary>
/// The benchmark model (MACE-MP-0-medium shape, random weights) evaluates to finite, translation-consistent results.
/// With MDENGINE_MACE_BENCHMARK=1 the timing table of docs/benchmarks.md is printed as well
/// (MDENGINE_MACE_BENCHMARK_SIZES=1,2 restricts it to 8n³-atom cells n = 1, 2, without the batch;
/// MDENGINE_MACE_BENCHMARK_THREADS sets torch's thread count, 2 by default; MDENGINE_MACE_BENCHMARK_DTYPES=float32
/// restricts the precisions; MDENGINE_MACE_BENCHMARK_BATCH=1 or 0 adds or drops the batch of 64 × 8 atoms).
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
            var dtypes = Environment.GetEnvironmentVariable("MDENGINE_MACE_BENCHMARK_DTYPES")?.Split(',')
                .Select(d => d.Trim().ToLowerInvariant() switch
                {
                    "float32" => TorchSharp.torch.ScalarType.Float32,
                    "float64" => TorchSharp.torch.ScalarType.Float64,
                    _ => throw new ArgumentException($"MDENGINE_MACE_BENCHMARK_DTYPES: unknown dtype '{d}'"),
                }).ToArray();
            bool batch = Environment.GetEnvironmentVariable("MDENGINE_MACE_BENCHMARK_BATCH") is string b ? b == "1" : sizes is null;
            MaceBenchmark.Run(Constants, writer, threads, sizes: sizes, batch: batch, dtypes: dtypes);
            output.WriteLine(writer.ToString());
        }
    }
}
