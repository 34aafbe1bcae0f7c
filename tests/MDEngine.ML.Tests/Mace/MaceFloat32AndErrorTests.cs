using System.Text.Json.Nodes;
using MDEngine.Geometry;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.Mace;

public class MaceFloat32AndErrorTests
{
    [Fact]
    public void Float32IsWithinSinglePrecisionOfTheReference()
    {
        var potential = MaceFixture.Load(new MaceOptions { DType = ScalarType.Float32, Device = "cpu" });
        Assert.Equal(ScalarType.Float32, potential.DType);
        foreach (var frame in MaceFixture.Frames)
        {
            var result = potential.Compute(frame.Structure, NeighborListBuilder.Build(frame.Structure, potential.Cutoff), Quantities.All);
            Assert.True(Math.Abs(result.Energy - frame.Energy) <= 1e-4 * Math.Abs(frame.Energy), $"energy {result.Energy} vs {frame.Energy}");
            double forceScale = frame.Forces.Max(f => f.Length);
            double forceError = frame.Forces.Zip(result.Forces!, (a, b) => (a - b).Length).Max();
            Assert.True(forceError <= 1e-4 * forceScale, $"force error {forceError:E2} (scale {forceScale:E2})");
            if (frame.Stress is { } stress)
                Assert.True((stress - result.Stress!.Value).MaxAbs() <= 1e-4 * stress.MaxAbs());
        }
    }

    [Fact]
    public void AnElementOutsideTheModelIsAClearError()
    {
        var s = Structure.FromSymbols(["Si", "Cu"], [new Vec3(0, 0, 0), new Vec3(2.3, 0, 0)]);
        var e = Assert.Throws<PotentialCoverageException>(() => MaceFixture.Potential.Compute(s, NeighborListBuilder.Build(s, 5.0), Quantities.Energy));
        Assert.Contains("Cu", e.Message);
    }

    [Theory]
    [InlineData("interaction_cls", "RealAgnosticAttResidualInteractionBlock", "interaction_cls")]
    [InlineData("radial_type", "gaussian", "radial_type")]
    [InlineData("model_type", "AtomicDipolesMACE", "AtomicDipolesMACE")]
    [InlineData("gate", "tanh", "gate")]
    public void AnUnsupportedArchitectureIsNamed(string key, string value, string expected)
    {
        var json = JsonNode.Parse(File.ReadAllText(MaceFixture.ModelJson))!.AsObject();
        json[key] = value;
        var e = Assert.Throws<MaceModelException>(() => MaceConfig.FromJson(json, "model.json"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void EveryUnsupportedPartIsNamedAtOnce()
    {
        var json = JsonNode.Parse(File.ReadAllText(MaceFixture.ModelJson))!.AsObject();
        json["interaction_cls"] = "RealAgnosticAttResidualInteractionBlock";
        json["radial_type"] = "gaussian";
        json["gate"] = "tanh";
        var e = Assert.Throws<MaceModelException>(() => MaceConfig.FromJson(json, "model.json"));
        Assert.Contains("RealAgnosticAttResidualInteractionBlock", e.Message);
        Assert.Contains("gaussian", e.Message);
        Assert.Contains("tanh", e.Message);
    }

    [Fact]
    public void AMissingWeightIsNamed()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var weights = MDEngine.ML.IO.SafeTensors.Read(Path.Combine(MaceFixture.Directory, "model.safetensors"));
            weights.Remove("interactions.1.linear.weight");
            var config = MaceConfig.Load(MaceFixture.ModelJson);
            var e = Assert.Throws<MaceModelException>(() => new MaceModel(config, weights, MDEngine.ML.E3nn.TensorOptions.CpuFloat64));
            Assert.Contains("interactions.1.linear.weight", e.Message);
        }
        finally { dir.Delete(true); }
    }
}
