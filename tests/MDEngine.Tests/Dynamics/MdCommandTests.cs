using System.CommandLine;
using MDEngine.Cli;
using MDEngine.Geometry;
using MDEngine.IO;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.Dynamics;

public sealed class MdCommandTests() : TempDirectoryTests("mdengine-md-")
{
    private const string Lj = "lj:epsilon=0.0104,sigma=3.40,cutoff=4.5,shift=true";

    private string Crystal(Vec3? displaceFirst = null, bool extras = false)
    {
        var s = ArgonCrystal.Build(2);
        if (displaceFirst is { } d) s.Positions[0] = s.Positions[1] + d;
        if (extras)
        {
            // Free columns and info as users' files carry them: they must survive a restart.
            s.Arrays["tags"] = Structures.AtomArray.Integer(Enumerable.Range(0, s.Count).Select(i => i % 3).ToArray());
            s.Info["source"] = "argon test crystal";
            s.Info["target_k"] = 30.0;
        }
        string path = Path.Combine(Dir, "ar.extxyz");
        StructureFile.Write(path, s);
        return path;
    }

    private string P(string name) => Path.Combine(Dir, name);

    [Fact]
    public void WritesLogAndTrajectoryWithVelocitiesAndForces()
    {
        var (code, output, error) = Run("md", Crystal(), "--potential", Lj, "--ensemble", "nve", "--temperature", "30", "--timestep", "4",
            "--steps", "100", "--every", "25", "--log", P("thermo.csv"), "--trajectory", P("traj.extxyz"));
        Assert.True(code == 0, error);
        Assert.Contains("step 100", output);
        var lines = File.ReadAllLines(P("thermo.csv"));
        Assert.Equal("step,time_ps,epot_ev,ekin_ev,etotal_ev,conserved_ev,temperature_k,pressure_gpa,volume_a3,a_a,b_a,c_a,ns_per_day", lines[0]);
        Assert.Equal(1 + 5, lines.Length);
        var frames = StructureFile.Read(P("traj.extxyz"));
        Assert.Equal(5, frames.Count);
        var last = frames[^1];
        Assert.NotNull(last.Velocities);
        Assert.NotNull(last.Forces);
        // NVE: the total energy of the last row equals the first to integration accuracy.
        double first = double.Parse(lines[1].Split(',')[4], System.Globalization.CultureInfo.InvariantCulture);
        double end = double.Parse(lines[^1].Split(',')[4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(first - end) < 1e-4);
    }

    [Fact]
    public void RestartedRunEndsBitIdenticalToTheUninterruptedOne()
    {
        string input = Crystal(extras: true);
        string[] common = ["md", input, "--potential", Lj, "--ensemble", "bussi", "--temperature", "30", "--timestep", "4", "--seed", "5", "--checkpoint-every", "60"];
        Assert.Equal(0, Run([.. common, "--steps", "120", "--checkpoint", P("full.ckpt"), "--log", P("full.csv"), "--every", "20", "--trajectory", P("full.extxyz")]).Code);
        // Interrupted at step 80: the last checkpoint is from step 60, log and trajectory already hold steps 60-80.
        Assert.Equal(0, Run([.. common, "--steps", "80", "--checkpoint", P("part.ckpt"), "--log", P("part.csv"), "--every", "20", "--trajectory", P("part.extxyz")]).Code);
        File.Copy(P("part.ckpt"), P("step60.ckpt"));
        Assert.Equal(0, Run([.. common, "--steps", "60", "--checkpoint", P("step60.ckpt")]).Code);
        var (code, _, error) = Run([.. common, "--steps", "120", "--checkpoint", P("part.ckpt"), "--restart", P("step60.ckpt"), "--log", P("part.csv"), "--every", "20", "--trajectory", P("part.extxyz")]);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(P("full.ckpt")), File.ReadAllBytes(P("part.ckpt")));
        Assert.Equal(File.ReadAllText(P("full.extxyz")), File.ReadAllText(P("part.extxyz")));
        var last = StructureFile.Read(P("part.extxyz"))[^1];
        Assert.Equal("argon test crystal", last.Info["source"]);
        Assert.True(last.Arrays.ContainsKey("tags"));
        // Same rows apart from the wall-clock speed column.
        static string[] Physics(string path) => File.ReadAllLines(path).Select(l => string.Join(',', l.Split(',')[..^1])).ToArray();
        Assert.Equal(Physics(P("full.csv")), Physics(P("part.csv")));
    }

    [Fact]
    public void OverlappingAtomsAreRefusedBeforeAnyFileIsOpened()
    {
        var (code, _, error) = Run("md", Crystal(new Vec3(0.4, 0, 0)), "--potential", Lj, "--temperature", "30", "--steps", "10",
            "--trajectory", P("t.extxyz"), "--log", P("t.csv"), "--checkpoint", P("t.ckpt"));
        Assert.Equal(2, code);
        Assert.Contains("atoms 0 and 1 (Ar, Ar) are 0.400 Å apart", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(P("t.extxyz")) || File.Exists(P("t.csv")) || File.Exists(P("t.ckpt")));
        // A lower bound lets the user run it anyway; then the run blows up at once, and says it kept frame 0 only.
        (code, _, error) = Run("md", Crystal(new Vec3(0.4, 0, 0)), "--potential", Lj, "--temperature", "30", "--steps", "10",
            "--min-distance", "0.1", "--trajectory", P("t.extxyz"));
        Assert.Equal(3, code);
        Assert.Contains("blew up at step 1", error);
        Assert.Contains("the trajectory ends with the frame of step 0", error);
        Assert.DoesNotContain("checkpoint", error);
    }

    [Fact]
    public void BlowUpMessageSaysOnlyWhatWasWritten()
    {
        var (code, _, error) = Run("md", Crystal(), "--potential", Lj, "--temperature", "90000", "--timestep", "20", "--steps", "50");
        Assert.Equal(3, code);
        Assert.Contains("blew up at step", error);
        Assert.Contains("no trajectory or checkpoint was requested", error);
        Assert.DoesNotContain("kept", error);
    }

    [Fact]
    public void TrajectoryFrameIsWrittenBeforeItsLogRow()
    {
        // Observers run in order: after any step both files are complete up to that step, the frame first.
        var (code, _, error) = Run("md", Crystal(), "--potential", Lj, "--temperature", "30", "--steps", "20", "--every", "10",
            "--log", P("o.csv"), "--trajectory", P("o.extxyz"));
        Assert.True(code == 0, error);
        Assert.Equal(3, StructureFile.Read(P("o.extxyz")).Count);
        Assert.Equal(1 + 3, File.ReadAllLines(P("o.csv")).Length);
    }

    [Fact]
    public void Thermo_lines_with_units_go_to_standard_output_when_it_is_not_a_terminal()
    {
        var (code, output, error) = Run("md", Crystal(), "--potential", Lj, "--temperature", "30", "--steps", "20", "--every", "10", "--thermo", "5");
        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        var header = Assert.Single(lines, l => l.TrimStart().StartsWith("Step "));
        Assert.Contains("PotEng(eV)", header);
        Assert.Contains("Temp(K)", header);
        Assert.Contains("Press(GPa)", header);
        var rows = lines.Where(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] && long.TryParse(first, out _)).ToArray();
        Assert.Equal(["0", "5", "10", "15", "20"], rows.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
    }

    [Fact]
    public void Md_takes_the_same_fix_option_as_relax_and_keeps_those_atoms_still()
    {
        var (code, _, error) = Run("md", Crystal(), "--potential", Lj, "--temperature", "30", "--steps", "10", "--every", "10",
            "--fix", "0,3", "--trajectory", P("fix.extxyz"));
        Assert.True(code == 0, error);
        var frames = StructureFile.Read(P("fix.extxyz"));
        Assert.Equal(frames[0].Positions[3], frames[^1].Positions[3]);
        Assert.NotEqual(frames[0].Positions[1], frames[^1].Positions[1]);
    }

    [Theory]
    [InlineData("--ensemble", "npt-crescale", "--temperature", "30", "--tau-p", "10")]
    [InlineData("--ensemble", "langevin")]
    [InlineData("--ensemble", "nvx", "--temperature", "30")]
    [InlineData("--ensemble", "langevin", "--temperature", "30", "--friction", "-1")]
    [InlineData("--fixed", "3-900", "--temperature", "30")]
    [InlineData("--neigh-modify", "every 0", "--temperature", "30")]
    [InlineData("--timestep", "1e6", "--temperature", "30")]
    [InlineData("--timestep", "-1", "--temperature", "30")]
    [InlineData("--temperature", "1e30")]
    [InlineData("--temperature", "30", "--checkpoint-every", "0", "--checkpoint", "c.ckpt")]
    [InlineData("--temperature", "30", "--log-every", "0", "--log", "c.csv")]
    [InlineData("--temperature", "30", "--skin", "1e6")]
    [InlineData("--temperature", "30", "--min-distance", "-1")]
    [InlineData("--temperature", "30", "--trajectory", "t.cif")]
    [InlineData("--temperature", "30", "--trajectory", "t.extxyz.gz")]
    [InlineData("--temperature", "30", "--trajectory", "missing-folder/t.extxyz")]
    [InlineData("--temperature", "30", "--log", "missing-folder/t.csv")]
    [InlineData("--temperature", "30", "--checkpoint", "missing-folder/t.ckpt")]
    public void BadOptionsAreUsageErrors(params string[] options)
    {
        // Relative output names are made absolute inside the test folder, which must stay empty but for the input.
        var absolute = options.Select(o => o.Contains('.') && !char.IsDigit(o[0]) && o[0] != '-' ? P(o) : o).ToArray();
        var (code, _, error) = Run(["md", Crystal(), "--potential", Lj, "--steps", "10", .. absolute]);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(["ar.extxyz"], Directory.GetFiles(Dir).Select(Path.GetFileName));
    }
}
