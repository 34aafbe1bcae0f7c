using MDEngine.Benchmarks;
using MDEngine.Benchmarks.Models;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;

namespace MDEngine.ML.Tests.Mace;

/// <summary>The benchmark model of <c>mdengine bench mace</c> (MACE-MP-0-medium shape, random weights) evaluates to
/// finite, translation-consistent results on the benchmark's structure.</summary>
public class MaceBenchmarkTests
{
    private static string Constants => Path.Combine(MaceFixture.Directory, "model.safetensors");

    [Fact]
    public void MediumShapedModelEvaluatesAndForcesSumToZero()
    {
        var potential = MaceTiming.CreatePotential(Constants, new MaceOptions { Device = "cpu" });
        var s = TestSystems.RattledSilicon(1, 0);
        var result = potential.Compute(s, NeighborListBuilder.Build(s, potential.Cutoff), Quantities.All);
        Assert.True(double.IsFinite(result.Energy));
        var total = result.Forces!.Aggregate(new MDEngine.Geometry.Vec3(), (a, b) => a + b);
        Assert.True(total.Length < 1e-9 * Math.Max(1, result.Forces!.Max(f => f.Length)));
        Assert.True(result.Stress!.Value.IsFinite);
    }

    [Fact]
    public void TimingTableListsEverySizeAndTheBatch()
    {
        var writer = new StringWriter();
        MaceTiming.Run(Constants, writer, threads: [1], sizes: [1], batch: false, dtypes: [TorchSharp.torch.ScalarType.Float32]);
        Assert.Contains("Float32 threads 1 8 atoms:", writer.ToString());
    }
}
