using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Tests.IO;

/// <summary>ASE's .traj files: what ASE 3.22 wrote reads with ASE's values, and what MDEngine writes ASE reads with
/// MDEngine's values (tools/reference/ase_traj.py).</summary>
public sealed class AseTrajectoryTests() : TempDirectoryTests("mdengine-traj-")
{
    private static string PathOf(string name) => IoReference.PathOf(Path.Combine("traj", name));

    private static double[] Flat(IEnumerable<Vec3> v) => v.SelectMany(x => new[] { x.X, x.Y, x.Z }).ToArray();

    /// <summary>Compares a structure with what ASE read (the layout of tools/reference/ase_traj.py's JSON).</summary>
    private static void AssertAsAseRead(JsonElement expected, Structure s, double tolerance, string what)
    {
        Assert.Equal(expected.GetProperty("numbers").EnumerateArray().Select(e => e.GetInt32()), s.Numbers);
        Assert.Equal(expected.GetProperty("pbc").EnumerateArray().Select(e => e.GetBoolean()), new[] { s.Pbc.A, s.Pbc.B, s.Pbc.C });
        IoReference.AssertClose(IoReference.Reals(expected.GetProperty("positions")), Flat(s.Positions), tolerance, $"{what} positions");
        IoReference.AssertClose(IoReference.Reals(expected.GetProperty("cell")), s.Cell.Matrix.ToArray(), tolerance, $"{what} cell");
        IoReference.AssertClose(IoReference.Reals(expected.GetProperty("masses")), s.Masses, tolerance, $"{what} masses");
        IoReference.AssertClose(IoReference.Reals(expected.GetProperty("velocities_fs")), Flat(s.Velocities ?? new Vec3[s.Count]), tolerance, $"{what} velocities");
        if (expected.TryGetProperty("energy", out var energy))
        {
            Assert.Equal(energy.GetDouble(), s.Energy!.Value, tolerance);
            IoReference.AssertClose(IoReference.Reals(expected.GetProperty("forces")), Flat(s.Forces!), tolerance, $"{what} forces");
            var st = s.Stress!.Value;
            IoReference.AssertClose(IoReference.Reals(expected.GetProperty("stress")), [st.M00, st.M11, st.M22, st.M12, st.M02, st.M01], tolerance, $"{what} stress");
        }
        else Assert.Null(s.Energy);
    }

    private static JsonElement[] Expected(string name) => JsonDocument.Parse(File.ReadAllText(PathOf(name))).RootElement.EnumerateArray().ToArray();

    [Fact]
    public void A_trajectory_written_by_ASE_reads_every_frame_with_its_results()
    {
        var frames = StructureFile.Read(PathOf("ase_written.traj"));
        var expected = Expected("ase_written.json");
        Assert.Equal(expected.Length, frames.Count);
        for (int f = 0; f < frames.Count; f++) AssertAsAseRead(expected[f], frames[f], 1e-15, $"frame {f}");
        Assert.Equal("reference", frames[0].Info["source"]);
        Assert.Equal(7L, frames[0].Info["step"]);
        Assert.Equal([0, 1, 2, 3], (int[])frames[0].Arrays["tags"].Data);
        Assert.Equal([0.1, -0.1, 0.2, -0.2], frames[1].Arrays["initial_charges"].AsReal);
    }

    [Fact]
    public void A_trajectory_written_by_MDEngine_is_read_by_ASE_with_MDEngine_s_values()
    {
        var source = StructureFile.Read(PathOf("ase_written.extxyz"));
        string written = Path.Combine(Dir, "written.traj");
        StructureFile.Write(written, source);
        Assert.Equal(File.ReadAllBytes(PathOf("mdengine_written.traj")), File.ReadAllBytes(written));
        var asRead = Expected("mdengine_written_traj.json");
        Assert.Equal(source.Count, asRead.Length);
        // ASE converts momenta back to velocities: equal to rounding.
        for (int f = 0; f < source.Count; f++) AssertAsAseRead(asRead[f], source[f], 1e-12, $"frame {f}");
        Assert.Equal(source.Select(s => s.Positions), StructureFile.Read(written).Select(s => s.Positions));
    }

    [Fact]
    public void Damaged_trajectories_fail_only_with_input_errors()
    {
        byte[] original = File.ReadAllBytes(PathOf("ase_written.traj"));
        var random = new Random(16);
        int refused = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes = trial % 3 == 0 ? original[..random.Next(original.Length)] : (byte[])original.Clone();
            if (trial % 3 != 0)
                for (int k = 0; k < 1 + trial % 5; k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            try
            {
                foreach (var s in AseTrajectory.Read(new MemoryStream(bytes), "damaged.traj"))
                    Assert.Null(FiniteValues.FindProblem(s));
            }
            catch (InputException) { refused++; }
        }
        Assert.True(refused > 0);
    }
}
