using System.CommandLine;
using MDEngine.Cli;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.Optimize;

public sealed class RelaxCommandTests() : TempDirectoryTests("mdengine-relax-")
{
    private const string Lj = "lj:epsilon=0.4,sigma=2.33,cutoff=6.0,shift=true";

    private string Input(string caseName, string optimizer, bool cell)
    {
        var c = AseReference.Find(caseName, optimizer, cell);
        string path = Path.Combine(Dir, $"{caseName}.extxyz");
        StructureFile.Write(path, c.Start);
        return path;
    }

    [Fact]
    public void Relaxes_to_ases_answer_and_writes_energy_forces_stress()
    {
        string input = Input("vacancy", "FIRE", cell: false), output = Path.Combine(Dir, "out.extxyz"), traj = Path.Combine(Dir, "traj.extxyz");
        var (code, text, err) = Run("relax", input, "--potential", Lj, "--optimizer", "fire", "--output", output, "--trajectory", traj);
        Assert.True(code == 0, err);
        var c = AseReference.Find("vacancy", "FIRE", cell: false);
        Assert.Contains($"{c.Steps} steps", text);
        Assert.Contains("converged", text);
        Assert.DoesNotContain("NOT converged", text);
        var relaxed = StructureFile.ReadFrame(output);
        Assert.Equal(c.FinalEnergy, relaxed.Energy!.Value, 1e-6);
        Assert.NotNull(relaxed.Forces);
        Assert.NotNull(relaxed.Stress);
        Assert.Equal(c.Steps + 1, StructureFile.Read(traj).Count);
    }

    [Fact]
    public void Cell_relaxation_prints_the_lattice()
    {
        string input = Input("strained", "LBFGS", cell: true), output = Path.Combine(Dir, "out.extxyz");
        var (code, text, err) = Run("relax", input, "--potential", Lj, "--cell", "--output", output);
        Assert.True(code == 0, err);
        Assert.Contains("cell: a=", text);
        var c = AseReference.Find("strained", "LBFGS", cell: true);
        Assert.Contains($"{c.Steps} steps", text);
        Assert.Equal(c.FinalEnergy, StructureFile.ReadFrame(output).Energy!.Value, 1e-6);
    }

    [Fact]
    public void Cell_relaxation_prints_the_final_stress_and_pressure_and_under_pressure_the_enthalpy()
    {
        string input = Input("strained", "LBFGS", cell: true), output = Path.Combine(Dir, "p.extxyz");
        var (code, text, err) = Run("relax", input, "--potential", Lj, "--cell", "--pressure", "1", "--output", output);
        Assert.True(code == 0, err);
        var relaxed = StructureFile.ReadFrame(output);
        var stress = relaxed.Stress!.Value;
        // At equilibrium under 1 GPa the printed pressure is the one applied, to the force threshold.
        var pressure = System.Text.RegularExpressions.Regex.Match(text, @"pressure (-?\d+\.\d+) GPa");
        Assert.True(pressure.Success, text);
        Assert.Equal(-stress.Trace / 3 * 160.21766208, double.Parse(pressure.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1e-4);
        Assert.Equal(1.0, double.Parse(pressure.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.1);
        double enthalpy = relaxed.Energy!.Value + 1.0 / 160.21766208 * relaxed.Volume;
        Assert.Contains(FormattableString.Invariant($"enthalpy H = E + pV = {enthalpy:F6} eV at 1 GPa"), text);
    }

    /// <summary>ASE's Voigt mask: with only zz free the deformation gradient stays diag(1, 1, f), so the cell's x and
    /// y columns keep their values while z relaxes.</summary>
    [Fact]
    public void Strain_mask_relaxes_only_the_free_components()
    {
        string input = Input("strained", "LBFGS", cell: true), output = Path.Combine(Dir, "out.extxyz");
        var start = StructureFile.ReadFrame(input).Cell.Matrix;
        var (code, text, err) = Run("relax", input, "--potential", Lj, "--cell", "--mask", "0,0,1,0,0,0", "--output", output);
        Assert.True(code == 0, err + text);
        var end = StructureFile.ReadFrame(output).Cell.Matrix;
        for (int row = 0; row < 3; row++)
        {
            Assert.Equal(start[row, 0], end[row, 0], 12);
            Assert.Equal(start[row, 1], end[row, 1], 12);
        }
        Assert.True(Math.Abs(end[2, 2] - start[2, 2]) > 1e-3, $"c_z stayed at {end[2, 2]}");

        (code, _, err) = Run("relax", input, "--potential", Lj, "--cell", "--mask", "1,1,x,0,0,0", "--output", output);
        Assert.Equal(2, code);
        Assert.Contains("Voigt", err);
    }

    [Fact]
    public void Non_convergence_exits_3_and_writes_the_best_state()
    {
        string input = Input("vacancy", "FIRE", cell: false), output = Path.Combine(Dir, "out.extxyz");
        var (code, text, _) = Run("relax", input, "--potential", Lj, "--optimizer", "fire", "--steps", "3", "--output", output);
        Assert.Equal(3, code);
        Assert.Contains("NOT converged within 3 steps", text);
        var c = AseReference.Find("vacancy", "FIRE", cell: false);
        var relaxed = StructureFile.ReadFrame(output);
        Assert.Equal(c.Energies.Take(4).Min(), relaxed.Energy!.Value, 1e-8);
        Assert.False((bool)relaxed.Info["relax_converged"]);
    }

    [Theory]
    [InlineData("--fix", "0,x")]
    [InlineData("--fix", "400")]
    [InlineData("--optimizer", "newton")]
    [InlineData("--pressure", "1")]
    [InlineData("--mask", "1,1,1,0,0,0")]
    public void Bad_options_exit_2_with_one_line(string option, string value)
    {
        string input = Input("vacancy", "FIRE", cell: false), output = Path.Combine(Dir, "out.extxyz");
        var (code, _, err) = Run("relax", input, "--potential", Lj, option, value, "--output", output);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }
}

public sealed class RelaxKeepSymmetryTests() : TempDirectoryTests("mdengine-relax-sym-")
{
    private const string Lj = "lj:epsilon=0.4,sigma=2.33,cutoff=6.0,shift=true";

    [Fact]
    public void Hcp_keeps_its_space_group_and_matches_ases_fixsymmetry_relaxation()
    {
        var c = AseReference.Find("hcp_symmetry", "FIRE", cell: true);
        string input = Path.Combine(Dir, "hcp.extxyz"), output = Path.Combine(Dir, "out.extxyz");
        StructureFile.Write(input, c.Start);
        var (code, text, err) = Run("relax", input, "--potential", Lj, "--optimizer", "fire", "--cell", "--keep-symmetry", "--output", output);
        Assert.True(code == 0, err);
        Assert.Contains("space group P6_3/mmc (194) -> P6_3/mmc (194)", text);
        Assert.Contains($"{c.Steps} steps", text);
        Assert.Equal(c.FinalEnergy, StructureFile.ReadFrame(output).Energy!.Value, 1e-6);
    }

    [Fact]
    public void A_noisy_bcc_crystal_stays_bcc_only_with_keep_symmetry()
    {
        // bcc is a saddle of Lennard-Jones (unstable toward close packing): without the constraint the noise grows
        // beyond the tolerance and the symmetry is lost; with it the structure is refined and stays bcc.
        var unit = Structure.FromFractional([18, 18], [new(0, 0, 0), new(0.5, 0.5, 0.5)], Cell.Cubic(2.9));
        var s = Supercell.Repeat(unit, 3, 3, 3);
        var rng = new Random(2);
        s.SetPositions(s.Positions.Select(p => p + 2e-4 * new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray());
        string input = Path.Combine(Dir, "bcc.extxyz");
        StructureFile.Write(input, s);

        var (code, text, err) = Run("relax", input, "--potential", Lj, "--cell", "--keep-symmetry", "--output", Path.Combine(Dir, "kept.extxyz"));
        Assert.True(code == 0, err + text);
        Assert.Contains("space group Im-3m (229) -> Im-3m (229)", text);

        (code, text, err) = Run("relax", input, "--potential", Lj, "--cell", "--output", Path.Combine(Dir, "free.extxyz"));
        Assert.True(code == 0, err + text);
        Assert.Contains("space group Im-3m (229) -> ", text);
        Assert.DoesNotContain("-> Im-3m (229)", text);
    }
}
