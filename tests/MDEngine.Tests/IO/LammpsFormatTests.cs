using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Potentials;
using MDEngine.Structures;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.IO;

/// <summary>LAMMPS data and dump files: files written by LAMMPS (tools/reference/lammps_io.py) read with the values
/// LAMMPS used, and a data file written by MDEngine gives LAMMPS the energy and forces MDEngine computes.</summary>
public sealed class LammpsFormatTests() : TempDirectoryTests("mdengine-lammps-")
{
    private static string PathOf(string name) => IoReference.PathOf(Path.Combine("lammps", name));
    private static JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllText(PathOf(name))).RootElement;
    private static readonly LennardJones Lj = new(0.4, 2.3, 6.0, shift: true);

    private static void AssertClose(IReadOnlyList<Vec3> expected, IReadOnlyList<Vec3> actual, double tolerance, string what) =>
        IoReference.AssertClose(expected.SelectMany(v => new[] { v.X, v.Y, v.Z }).ToArray(), actual.SelectMany(v => new[] { v.X, v.Y, v.Z }).ToArray(), tolerance, what);

    [Theory]
    [InlineData("atomic")]
    [InlineData("charge")]
    [InlineData("full")]
    public void Data_files_of_every_atom_style_read_as_LAMMPS_wrote_them(string style)
    {
        var s = StructureFile.ReadFrame(PathOf($"lammps_{style}.data"));
        var frame0 = StructureFile.Read(PathOf("lammps_custom.lammpstrj"))[0];
        Assert.Equal(108, s.Count);
        Assert.Equal(frame0.Numbers, s.Numbers); // types 1 and 2 recognised as Cu and Ni by their masses
        Assert.Equal(72, s.Numbers.Count(z => z == 29));
        Assert.Equal(new Mat3(10.8, 0, 0, 3.6, 10.8, 0, 1.8, 1.8, 10.8), s.Cell.Matrix);
        Assert.Equal(frame0.Cell.Matrix.ToArray(), s.Cell.Matrix.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        AssertClose(frame0.Positions, s.Positions, 1e-15, "positions");
        AssertClose(frame0.Velocities!, s.Velocities!, 1e-15, "velocities");
        if (style == "atomic") Assert.False(s.Arrays.ContainsKey("initial_charges"));
        else Assert.Equal(s.Numbers.Select(z => z == 29 ? 0.5 : -0.5), s.Arrays["initial_charges"].AsReal);
        Assert.Equal(style == "full", s.Arrays.ContainsKey("mol-id"));
    }

    [Fact]
    public void A_triclinic_custom_dump_reads_every_frame_with_the_energy_and_forces_LAMMPS_computed()
    {
        var frames = StructureFile.Read(PathOf("lammps_custom.lammpstrj"));
        var energies = Json("lammps_custom.json").GetProperty("frames").EnumerateArray().ToArray();
        Assert.Equal(energies.Length, frames.Count);
        for (int f = 0; f < frames.Count; f++)
        {
            Assert.Equal(energies[f].GetProperty("step").GetInt64(), frames[f].Info["timestep"]);
            var result = new BoundPotential(Lj).Compute(frames[f]);
            double pe = energies[f].GetProperty("pe").GetDouble();
            Assert.True(Math.Abs(result.Energy - pe) < 1e-9 * Math.Abs(pe), $"frame {f}: {result.Energy:R} vs LAMMPS {pe:R}");
            AssertClose(frames[f].Forces!, result.Forces!, 1e-9, $"forces of frame {f}");
        }
    }

    [Fact]
    public void A_dump_without_an_element_column_reads_with_the_elements_of_its_types()
    {
        string path = PathOf("lammps_scaled.lammpstrj");
        var e = Assert.Throws<InputException>(() => StructureFile.Read(path));
        Assert.Contains("no element column", e.Message);
        using var text = File.OpenText(path);
        var scaled = LammpsDumpReader.ReadAll(text, path, new LammpsDumpReadOptions(["Cu", "Ni"]));
        var custom = StructureFile.Read(PathOf("lammps_custom.lammpstrj"));
        for (int f = 0; f < custom.Count; f++)
        {
            Assert.Equal(custom[f].Numbers, scaled[f].Numbers);
            // xs ys zs are wrapped into the box: compare modulo the lattice.
            var fa = custom[f].Cell.ToFractional(custom[f].Positions);
            var fb = scaled[f].Cell.ToFractional(scaled[f].Positions);
            for (int i = 0; i < fa.Length; i++)
                for (int k = 0; k < 3; k++)
                {
                    double d = fa[i][k] - fb[i][k];
                    Assert.True(Math.Abs(d - Math.Round(d)) < 1e-9, $"frame {f} atom {i}");
                }
        }
    }

    [Fact]
    public void A_data_file_written_by_MDEngine_gives_LAMMPS_the_energy_and_forces_MDEngine_computes()
    {
        // The input is rotated away from LAMMPS's orientation: the writer must turn cell and atoms into it.
        var input = StructureFile.ReadFrame(PathOf("mdengine_input.extxyz"));
        string written = Path.Combine(Dir, "written.data");
        StructureFile.Write(written, input);
        Assert.Equal(File.ReadAllText(PathOf("mdengine_written.data")), File.ReadAllText(written));

        var lammps = Json("mdengine_written_lammps.json");
        double pe = lammps.GetProperty("pe").GetDouble();
        double energy = new BoundPotential(Lj).Compute(input).Energy;
        Assert.True(Math.Abs(energy - pe) < 1e-9 * Math.Abs(pe), $"{energy:R} vs LAMMPS {pe:R}");
        var inLammpsFrame = StructureFile.ReadFrame(written);
        var forces = lammps.GetProperty("forces").EnumerateArray().Select(r => new Vec3(r[0].GetDouble(), r[1].GetDouble(), r[2].GetDouble())).ToArray();
        AssertClose(forces, new BoundPotential(Lj).Compute(inLammpsFrame).Forces!, 1e-9, "forces");
    }

    [Fact]
    public void Data_and_dump_files_round_trip_charges_velocities_and_forces()
    {
        var s = StructureFile.ReadFrame(PathOf("lammps_charge.data"));
        s.Forces = new BoundPotential(Lj).Compute(s).Forces;
        string data = Path.Combine(Dir, "again.data"), dump = Path.Combine(Dir, "again.lammpstrj");
        StructureFile.Write(data, s);
        StructureFile.Write(dump, [s, s]);
        var back = StructureFile.ReadFrame(data);
        Assert.Equal(s.Numbers, back.Numbers);
        Assert.Equal(s.Positions, back.Positions);
        Assert.Equal(s.Velocities, back.Velocities);
        Assert.Equal(s.Arrays["initial_charges"].AsReal, back.Arrays["initial_charges"].AsReal);
        var frames = StructureFile.Read(dump);
        Assert.Equal(2, frames.Count);
        Assert.Equal(s.Positions, frames[1].Positions);
        Assert.Equal(s.Forces, frames[1].Forces);
        Assert.Equal(s.Velocities, frames[1].Velocities);
    }

    [Fact]
    public void Md_writes_its_trajectory_as_a_LAMMPS_dump_when_named_so()
    {
        string input = Path.Combine(Dir, "in.extxyz"), trajectory = Path.Combine(Dir, "md.lammpstrj");
        StructureFile.Write(input, StructureFile.ReadFrame(PathOf("lammps_atomic.data")));
        var (code, _, error) = Run("md", input, "--potential", "lj:epsilon=0.4,sigma=2.3,cutoff=6,shift=true", "--temperature", "300",
            "--steps", "10", "--every", "5", "--trajectory", trajectory);
        Assert.True(code == 0, error);
        var frames = StructureFile.Read(trajectory);
        Assert.Equal([0L, 5L, 10L], frames.Select(f => (long)f.Info["timestep"]));
        Assert.All(frames, f => Assert.NotNull(f.Forces));
    }

    [Theory]
    [InlineData("1 atoms\n1 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nAtoms # atomic\n\n1 1 0 0 0\n", "atom type 1 has no mass and no label")]
    [InlineData("1 atoms\n1 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nMasses\n\n1 40.0\n\nAtoms # atomic\n\n1 1 0 0 0\n", "atom type 1 (mass 40) matches no element")]
    [InlineData("2 atoms\n1 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nMasses\n\n1 1.008 # H\n\nAtoms # atomic\n\n1 1 0 0 0\n", "the Atoms section has 1 atoms, the header 2")]
    [InlineData("1 atoms\n1 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nMasses\n\n1 1.008\n\nAtoms # atomic\n\n1 1 0 nan 0\n", "'nan' is not a finite number")]
    [InlineData("1 atoms\n1 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n\nMasses\n\n1 1.008\n", "lacks one of xlo xhi")]
    public void Bad_data_files_name_the_problem(string body, string problem)
    {
        var e = Assert.Throws<InputException>(() => StructureFile.ReadText(new StringReader("comment\n\n" + body), "bad.data", "lammps-data"));
        Assert.Contains(problem, e.Message);
    }
}
