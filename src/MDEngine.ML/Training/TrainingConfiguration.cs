using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.ML.Training;

/// <summary>
/// One labelled structure of a training set, as mace-torch's <c>Configuration</c>: the reference energy (eV), forces
/// (eV/Å), stress (eV/Å³, ASE's sign) where the file has them, and the weights of the loss: the configuration's
/// weight (config_type weight × config_weight) and one weight per property (0 where the label is absent).
/// </summary>
public sealed record TrainingConfiguration(Structure Structure, double? Energy, Vec3[]? Forces, Mat3? Stress)
{
    public double Weight { get; init; } = 1.0;
    public string ConfigType { get; init; } = "Default";
    public double EnergyWeight => Energy is null ? 0.0 : 1.0;
    public double ForcesWeight => Forces is null ? 0.0 : 1.0;
    public double StressWeight => Stress is null ? 0.0 : 1.0;
    public int AtomCount => Structure.Count;
}
