using MDEngine.Geometry;
using MDEngine.IO;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.Dynamics;

/// <summary><c>mdengine md --replicas K</c> and md over several files: every run writes its own files, named with its
/// index, and ends exactly as the same run alone (run k seeded with --seed + k).</summary>
public sealed class MdReplicasCommandTests() : TempDirectoryTests("mdengine-md-replicas-")
{
    private const string Lj = "lj:epsilon=0.0104,sigma=3.40,cutoff=4.5,shift=true";

    private string P(string name) => Path.Combine(Dir, name);

    private string Crystal(string name, double rattle = 0)
    {
        var s = ArgonCrystal.Build(2);
        var rng = new Random(name.Length);
        if (rattle > 0) s.SetPositions(s.Positions.Select(r => r + new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()) * rattle).ToArray());
        StructureFile.Write(P(name), s);
        return P(name);
    }

    // Same rows apart from the wall-clock speed column.
    private static string[] Physics(string path) => File.ReadAllLines(path).Select(l => string.Join(',', l.Split(',')[..^1])).ToArray();

    [Theory]
    [InlineData("nve")]
    [InlineData("langevin")]
    [InlineData("npt-crescale")]
    public void Each_replica_writes_its_own_files_equal_to_the_run_alone_with_its_seed(string ensemble)
    {
        string input = Crystal("ar.extxyz");
        string[] common = ["md", input, "--potential", Lj, "--ensemble", ensemble, "--temperature", "40", "--timestep", "4", "--steps", "40", "--every", "10"];
        var (code, output, error) = Run([.. common, "--seed", "7", "--replicas", "3", "--trajectory", P("md.extxyz"), "--log", P("md.csv")]);
        Assert.True(code == 0, error);
        Assert.Equal(3, output.Split('\n').Count(l => l.StartsWith("md r")));
        Assert.False(File.Exists(P("md.extxyz")));
        for (int k = 0; k < 3; k++)
        {
            (code, _, error) = Run([.. common, "--seed", (7 + k).ToString(), "--trajectory", P($"alone{k}.extxyz"), "--log", P($"alone{k}.csv")]);
            Assert.True(code == 0, error);
            Assert.Equal(File.ReadAllText(P($"alone{k}.extxyz")), File.ReadAllText(P($"md.r{k}.extxyz")));
            Assert.Equal(Physics(P($"alone{k}.csv")), Physics(P($"md.r{k}.csv")));
        }
        Assert.NotEqual(File.ReadAllText(P("md.r0.extxyz")), File.ReadAllText(P("md.r1.extxyz")));
    }

    [Fact]
    public void Several_files_run_side_by_side_each_as_alone()
    {
        string a = Crystal("a.extxyz", 0.05), b = Crystal("bb.extxyz", 0.08);
        string[] common = ["--potential", Lj, "--temperature", "30", "--steps", "30", "--every", "10"];
        var (code, output, error) = Run(["md", a, b, .. common, "--trajectory", P("t.extxyz")]);
        Assert.True(code == 0, error);
        Assert.Contains($"md r1 ({b}) nve: step 30", output);
        (code, _, error) = Run(["md", b, .. common, "--seed", "2", "--trajectory", P("b-alone.extxyz")]);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllText(P("b-alone.extxyz")), File.ReadAllText(P("t.r1.extxyz")));
    }

    [Fact]
    public void Replicas_continued_from_their_checkpoints_end_as_the_uninterrupted_run()
    {
        string input = Crystal("ar.extxyz");
        string[] common = ["md", input, "--potential", Lj, "--ensemble", "bussi", "--temperature", "30", "--timestep", "4", "--replicas", "2",
            "--checkpoint-every", "20", "--every", "10"];
        Assert.Equal(0, Run([.. common, "--steps", "60", "--checkpoint", P("full.ckpt"), "--trajectory", P("full.extxyz")]).Code);
        Assert.Equal(0, Run([.. common, "--steps", "20", "--checkpoint", P("part.ckpt"), "--trajectory", P("part.extxyz")]).Code);
        var (code, _, error) = Run([.. common, "--steps", "60", "--checkpoint", P("part.ckpt"), "--restart", P("part.ckpt"), "--trajectory", P("part.extxyz")]);
        Assert.True(code == 0, error);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(File.ReadAllBytes(P($"full.r{k}.ckpt")), File.ReadAllBytes(P($"part.r{k}.ckpt")));
            Assert.Equal(File.ReadAllText(P($"full.r{k}.extxyz")), File.ReadAllText(P($"part.r{k}.extxyz")));
        }
    }

    [Fact]
    public void Redirected_output_sums_the_replicas_up_in_one_line_per_interval()
    {
        var (code, output, error) = Run("md", Crystal("ar.extxyz"), "--potential", Lj, "--ensemble", "langevin", "--temperature", "30",
            "--steps", "20", "--thermo", "10", "--replicas", "4");
        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        var header = Assert.Single(lines, l => l.TrimStart().StartsWith("Step "));
        Assert.Contains("Runs", header);
        Assert.Contains("ETA(s)", header);
        var rows = lines.Where(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] && long.TryParse(first, out _)).ToArray();
        Assert.Equal(["0", "10", "20"], rows.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        Assert.All(rows, r => Assert.Equal("4", r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
    }

    [Theory]
    [InlineData("--replicas", "0")]
    [InlineData("--cell", "sideways")]
    public void Bad_replica_options_are_usage_errors(params string[] options)
    {
        var (code, _, error) = Run(["md", Crystal("ar.extxyz"), "--potential", Lj, "--temperature", "30", "--steps", "5", .. options]);
        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
    }
}
