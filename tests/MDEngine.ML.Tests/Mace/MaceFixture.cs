using System.Globalization;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.ML.Mace;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.Mace;

/// <summary>One frame of the mace-torch reference: the structure and the reference results.</summary>
public sealed record ReferenceFrame(Structure Structure, double Energy, Vec3[] Forces, Mat3? Stress, int Edges);

/// <summary>The small MACE fixture (data/mace, made with mace-torch + e3nn 0.5.0 in float64; see its README).</summary>
public static class MaceFixture
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "data", "mace");
    public static string ModelJson => Path.Combine(Directory, "model.json");

    private static readonly Lazy<MacePotential> Float64 = new(() => MacePotential.Load(ModelJson, new MaceOptions { Device = "cpu" }));
    public static MacePotential Potential => Float64.Value;

    public static MacePotential Load(MaceOptions options) => MacePotential.Load(ModelJson, options);

    private static readonly Lazy<IReadOnlyList<ReferenceFrame>> FramesLazy = new(() => ReadFrames(Path.Combine(Directory, "reference.extxyz")));
    public static IReadOnlyList<ReferenceFrame> Frames => FramesLazy.Value;

    /// <summary>The reference frames, read with MDEngine's extended XYZ reader (which ASE's files round-trip through).</summary>
    private static List<ReferenceFrame> ReadFrames(string path) =>
        StructureFile.Read(path).Select(s => new ReferenceFrame(
            s, s.Energy!.Value, s.Forces!, s.Stress, Convert.ToInt32(s.Info["num_edges"], CultureInfo.InvariantCulture))).ToList();
}
