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
    /// <summary>Computed constants (3j blocks, U matrices) give the model that the constants stored by mace-torch give.</summary>
    [Fact]
    public void ComputedConstantsGiveTheModelOfStoredOnes()
    {
        var stored = MDEngine.ML.IO.SafeTensors.Read(Path.Combine(MaceFixture.Directory, "model.safetensors"));
        var config = MaceTiming.MediumConfig;
        var s = TestSystems.RattledSilicon(1, 0);
        double Energy(Dictionary<string, MDEngine.ML.IO.SafeTensor> weights)
        {
            var model = new MaceModel(config, weights, MDEngine.ML.E3nn.TensorOptions.CpuFloat64);
            var potential = new MacePotential(model, "random");
            return potential.Compute(s, NeighborListBuilder.Build(s, potential.Cutoff), Quantities.Energy).Energy;
        }
        double computed = Energy(RandomMaceWeights.Create(config, seed: 3)), fromFile = Energy(RandomMaceWeights.Create(config, stored, seed: 3));
        Assert.Equal(fromFile, computed, 1e-12 * Math.Abs(fromFile));
    }

    [Fact]
    public void MediumShapedModelEvaluatesAndForcesSumToZero()
    {
        var potential = MaceTiming.CreatePotential(new MaceOptions { Device = "cpu" });
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
        MaceTiming.Run(writer, threads: [1], sizes: [1], batch: false, dtypes: [TorchSharp.torch.ScalarType.Float32]);
        Assert.Contains("Float32 threads 1 8 atoms:", writer.ToString());
    }
}
