using MDEngine.IO;
using MDEngine.ML.Mace;
using MDEngine.Potentials;

namespace MDEngine.ML.Tests.Mace;

public class MaceSpecTests
{
    [Fact]
    public void AModelJsonPathIsAMacePotential()
    {
        var potential = MlPotentials.Registry().Parse(MaceFixture.ModelJson);
        var mace = Assert.IsType<MacePotential>(potential);
        Assert.Equal(5.0, mace.Cutoff);
        Assert.True(mace.NeedsFullNeighborList);
        Assert.Equal(new[] { 8, 14 }, mace.Elements!.Order().ToArray());
    }

    /// <summary>The registry (TorchScript's format comes first and claims .model files too) hands a prefixed
    /// specification with options to MACE.</summary>
    [Fact]
    public void APrefixedModelFileWithOptionsIsAMacePotentialThroughTheRegistry()
    {
        var potential = MlPotentials.Registry().Parse($"mace:{MaceFamilyFixture.ModelFile("mp0")},device=cpu,dtype=float32");
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, Assert.IsType<MacePotential>(potential).DType);
    }

    [Fact]
    public void OptionsSelectPrecisionAndBadOnesAreInputErrors()
    {
        var mace = Assert.IsType<MacePotential>(MaceSpec.TryParse($"mace:{MaceFixture.ModelJson},dtype=float32,device=cpu"));
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, mace.DType);
        Assert.Throws<InputException>(() => MaceSpec.TryParse($"mace:{MaceFixture.ModelJson},dtype=half"));
        Assert.Throws<InputException>(() => MaceSpec.TryParse($"mace:{MaceFixture.ModelJson},colour=red"));
        Assert.Throws<InputException>(() => MaceSpec.TryParse($"mace:{MaceFixture.ModelJson},threads=0"));
        Assert.Null(MaceSpec.TryParse("lj:epsilon=1,sigma=1,cutoff=3"));
    }
}
