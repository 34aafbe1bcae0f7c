using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Tests.Optimize;

/// <summary><c>mdengine campaign</c>: a folder of structures relaxed into an ASE database, and a second run that finds
/// everything done.</summary>
public sealed class CampaignCommandTests() : TempDirectoryTests("mdengine-campaign-cli-")
{
    [Fact]
    public void AFolderIsRelaxedIntoADatabaseAndASecondRunSkipsWhatIsDone()
    {
        string inputs = Directory.CreateDirectory(Path.Combine(Dir, "inputs")).FullName;
        for (int i = 0; i < 3; i++)
        {
            var rng = new Random(i);
            var s = Structure.FromFractional([29, 29, 29, 29],
                [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0), new Vec3(0.5, 0, 0.5), new Vec3(0, 0.5, 0.5)], Cell.Cubic(3.62));
            s.SetPositions(s.Positions.Select(r => r + new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()) * 0.05).ToArray());
            StructureFile.Write(Path.Combine(inputs, $"cu{i}.extxyz"), s);
        }
        File.WriteAllText(Path.Combine(inputs, "notes.txt"), "not a structure");
        string db = Path.Combine(Dir, "results.db");

        var first = CliHarness.Run("campaign", inputs, "--db", db, "--cell", "--batch-atoms", "8");
        Assert.True(first.Code == 0, first.Err + first.Out);
        Assert.Contains("relaxed 3 (3 converged), skipped 0", first.Out);
        var rows = AseDatabase.Read(db);
        Assert.Equal(3, rows.Count);
        Assert.Equal(new[] { "cu0.extxyz@0", "cu1.extxyz@0", "cu2.extxyz@0" },
            rows.Select(r => Path.GetFileName((string)r.Info["key"])).Order().ToArray());
        foreach (var row in rows)
        {
            // Source file and frame apart, and the space group before and after ("P1 (1)" for a rattled cell at spglib's default tolerance).
            Assert.Equal((string)row.Info["key"], $"{row.Info["source"]}@{row.Info["frame"]}");
            Assert.Equal(0L, row.Info["frame"]);
            Assert.Matches(@"^\S+ \(\d+\)$", (string)row.Info["spacegroup_before"]);
            Assert.Matches(@"^\S+ \(\d+\)$", (string)row.Info["spacegroup_after"]);
        }

        var second = CliHarness.Run("campaign", inputs, "--db", db, "--cell");
        Assert.Equal(0, second.Code);
        Assert.Contains("relaxed 0 (0 converged), skipped 3", second.Out);
        Assert.Equal(3, AseDatabase.Read(db).Count);
    }

    [Fact]
    public void ADatabaseNotNamedDbIsRefused()
    {
        var (code, _, err) = CliHarness.Run("campaign", Dir, "--db", Path.Combine(Dir, "results.sqlite"));
        Assert.Equal(2, code);
        Assert.Contains(".db", err);
    }
}
