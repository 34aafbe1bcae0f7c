using MDEngine.IO;
using MDEngine.ML.E3nn;
using MDEngine.ML.Mace;
using MDEngine.ML.Training;

namespace MDEngine.ML.Tests.Training;

/// <summary>The loss/gradient reference of data/mace-training (one batch of 5 configurations of the MACE tutorial's
/// training set, the untrained mace01 model of seed 123, float64; see ../shared/fixtures/mace/training/README.md).</summary>
public static class TrainingFixture
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "data", "mace-training");
    public static string ModelFile => Path.Combine(Directory, "model.model");
    public static string ConfigsFile => Path.Combine(Directory, "configs.extxyz");

    public static TrainableMace Model(TensorOptions? options = null)
    {
        var (config, weights) = MaceModelFile.Read(ModelFile);
        return new TrainableMace(config, weights, options ?? TensorOptions.CpuFloat64);
    }

    public static List<TrainingConfiguration> Configurations() =>
        TrainingData.FromStructures(StructureFile.Read(ConfigsFile), ConfigsFile, new DataKeys { EnergyKey = "energy_xtb", ForcesKey = "forces_xtb" });
}
