using MDEngine.Geometry;
using MDEngine.ML.Graphs;
using MDEngine.ML.TorchScript;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.TorchScript;

/// <summary>The committed TorchScript stand-ins (data/torchscript, made by tools/reference/torchscript_standins.py)
/// and helpers the TorchScript tests share; the public models are found through <see cref="RealModels"/>.</summary>
public static class TorchScriptData
{
    /// <summary>The public deployed models and Python torch's outputs on them, under ../shared/realmodels.</summary>
    public const string SevenNetFile = "sevennet-example-HfO2/deployed_serial.pt";
    public const string SevenNetReference = "sevennet-example-HfO2/torchscript_reference/sevennet_hfo2_reference.npz";
    public const string MaceFile = "mace-tutorial-solvent-xtb/mace01_swa_compiled.model";
    public const string MaceReference = "mace-tutorial-solvent-xtb/torchscript_reference/mace01_swa_compiled_reference.npz";

    public static string StandIns => Path.Combine(AppContext.BaseDirectory, "data", "torchscript");
    public static string StandIn(string name) => Path.Combine(StandIns, name);

    public static PotentialResult Evaluate(Potential potential, Structure s, Quantities what = Quantities.All, double skin = 0) =>
        potential.Compute(s, NeighborListBuilder.Build(s, potential.Cutoff + skin, full: true), what);

    public static double MaxDifference(Vec3[] a, Vec3[] b) => a.Zip(b, (p, q) => Math.Max(Math.Abs(p.X - q.X), Math.Max(Math.Abs(p.Y - q.Y), Math.Abs(p.Z - q.Z)))).Max();

    public static Mat3 RandomRotation(Random rng)
    {
        // Rotation from a random unit quaternion.
        double a = rng.NextDouble() - 0.5, b = rng.NextDouble() - 0.5, c = rng.NextDouble() - 0.5, d = rng.NextDouble() - 0.5;
        double n = Math.Sqrt(a * a + b * b + c * c + d * d); a /= n; b /= n; c /= n; d /= n;
        return new Mat3(
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d);
    }
}
