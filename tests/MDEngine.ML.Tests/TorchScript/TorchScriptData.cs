using MDEngine.Geometry;
using MDEngine.ML.Graphs;
using MDEngine.ML.TorchScript;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.TorchScript;

/// <summary>Where the TorchScript test files are: the committed stand-ins (data/torchscript, made by
/// tools/reference/torchscript_standins.py) and the public models in ../shared/realmodels beside the repository.</summary>
public static class TorchScriptData
{
    public static string StandIns => Path.Combine(AppContext.BaseDirectory, "data", "torchscript");
    public static string StandIn(string name) => Path.Combine(StandIns, name);

    /// <summary>../shared/realmodels relative to the repository root (the folder holding MDEngine.sln).</summary>
    public static string RealModels
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MDEngine.sln"))) dir = dir.Parent;
            return Path.GetFullPath(Path.Combine(dir?.FullName ?? ".", "..", "shared", "realmodels"));
        }
    }

    /// <summary>A file under ../shared/realmodels, or null (with the reason written to the test output) when it is
    /// not there: those files are not part of the repository.</summary>
    public static string? RealModelOrSkip(string relative, Xunit.Abstractions.ITestOutputHelper output)
    {
        string path = Path.Combine(RealModels, relative);
        if (File.Exists(path)) return path;
        output.WriteLine($"SKIPPED: {path} is not present (public model files are kept outside the repository, in ../shared/realmodels)");
        return null;
    }

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
