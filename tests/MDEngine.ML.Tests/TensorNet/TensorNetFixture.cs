using MDEngine.Geometry;
using MDEngine.ML.Graphs;
using MDEngine.ML.TensorNet;
using MDEngine.Structures;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.TensorNet;

/// <summary>One structure of the matgl reference (reference.npz): float32 and float64 results of matgl's own code.</summary>
public sealed record TensorNetReference(string Name, Structure Structure, int Edges,
    double Energy, Vec3[] Forces, Mat3 Stress, double Energy64, Vec3[] Forces64, Mat3 Stress64);

/// <summary>
/// The published matgl TensorNet-MatPES-PBE-v2025.1-PES folder and its reference values, read from
/// ../shared/realmodels beside the repository (never committed: the weights are matgl's). Tests that need it are
/// skipped, naming the folder, when it is absent.
/// </summary>
public static class TensorNetFixture
{
    public static string Directory { get; } = Path.Combine(RealModels.Root, "matgl-TensorNet-MatPES-PBE-v2025.1-PES");

    public static bool Available => File.Exists(Path.Combine(Directory, "state.pt")) && File.Exists(Path.Combine(Directory, "reference.npz"));

    /// <summary>Skips the calling test, naming the folder, where the model is absent (tests use [SkippableFact]).</summary>
    public static void RequireModel() =>
        Skip.IfNot(Available, $"the matgl TensorNet model folder is not at {Path.GetFullPath(Directory)}");

    private static readonly Lazy<TensorNetPotential> Float64Lazy = new(() => Load(ScalarType.Float64));
    private static readonly Lazy<TensorNetPotential> Float32Lazy = new(() => Load(ScalarType.Float32));
    public static TensorNetPotential Float64 => Float64Lazy.Value;
    public static TensorNetPotential Float32 => Float32Lazy.Value;

    public static TensorNetPotential Load(ScalarType dtype) =>
        TensorNetPotential.Load(Directory, new TorchSettings { DType = dtype, Device = "cpu" });

    private static readonly Lazy<IReadOnlyList<TensorNetReference>> ReferencesLazy = new(ReadReferences);
    public static IReadOnlyList<TensorNetReference> References => ReferencesLazy.Value;
    public static TensorNetReference Reference(string name) => References.Single(r => r.Name == name);

    private static List<TensorNetReference> ReadReferences()
    {
        var npz = Npz.Read(Path.Combine(Directory, "reference.npz"));
        var result = new List<TensorNetReference>();
        foreach (var name in npz["names"].Strings!)
        {
            NpyArray Get(string key) => npz[$"{name}__{key}"];
            var pbc = Get("pbc").Data;
            var structure = new Structure(Get("numbers").Data.Select(z => (int)z).ToArray(), Vectors(Get("positions").Data),
                new Cell(Matrix(Get("cell").Data)), new Pbc(pbc[0] != 0, pbc[1] != 0, pbc[2] != 0));
            result.Add(new TensorNetReference(name, structure, (int)Get("n_edges").Scalar,
                Get("energy").Scalar, Vectors(Get("forces").Data), Matrix(Get("stress").Data),
                Get("energy_f64").Scalar, Vectors(Get("forces_f64").Data), Matrix(Get("stress_f64").Data)));
        }
        return result;
    }

    public static Vec3[] Vectors(double[] flat) => Structure.ToVec3(flat);
    public static Mat3 Matrix(double[] flat) => Mat3.FromArray(flat);

    public static string RepositoryRoot() => RealModels.RepositoryRoot();
}
