using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Tests.Optimize;

/// <summary><c>mdengine campaign --shard</c>, <c>merge</c> and <c>sbatch</c> from the command line.</summary>
public sealed class ShardedCampaignCommandTests() : TempDirectoryTests("mdengine-shard-cli-")
{
    private string Inputs(int count)
    {
        string inputs = Directory.CreateDirectory(Path.Combine(Dir, "inputs")).FullName;
        for (int i = 0; i < count; i++)
        {
            var rng = new Random(i);
            var s = Structure.FromFractional([29, 29, 29, 29],
                [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0), new Vec3(0.5, 0, 0.5), new Vec3(0, 0.5, 0.5)], Cell.Cubic(3.62));
            s.SetPositions(s.Positions.Select(r => r + new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()) * 0.05).ToArray());
            StructureFile.Write(Path.Combine(inputs, $"cu{i}.extxyz"), s);
        }
        return inputs;
    }

    /// <summary>A structure's shard follows from the hash of its path, which lies in a fresh temporary folder each run:
    /// with 16 inputs a shard of two is empty once in some 30,000 runs (with 6, once in 32).</summary>
    [Fact]
    public void Shards_relax_apart_and_merge_into_what_one_campaign_relaxes()
    {
        const int count = 16;
        string inputs = Inputs(count), db = Path.Combine(Dir, "r.db");
        int relaxed = 0;
        for (int i = 0; i < 2; i++)
        {
            var (code, output, error) = CliHarness.Run("campaign", inputs, "--db", db, "--shard", $"{i}/2", "--batch-atoms", "8");
            Assert.True(code == 0, error + output);
            Assert.True(File.Exists(Path.Combine(Dir, $"r.shard{i}of2.db")));
            relaxed += AseDatabase.Read(Path.Combine(Dir, $"r.shard{i}of2.db")).Count;
        }
        Assert.Equal(count, relaxed);
        Assert.False(File.Exists(db));
        var merge = CliHarness.Run("merge", Path.Combine(Dir, "r.shard*of2.db"), "--db", db);
        Assert.True(merge.Code == 0, merge.Err);
        Assert.Contains($"added {count} rows, 0 already present", merge.Out);
        merge = CliHarness.Run("merge", Path.Combine(Dir, "r.shard*of2.db"), "--db", db);
        Assert.Contains($"added 0 rows, {count} already present", merge.Out);
        Assert.Equal(count, AseDatabase.Read(db).Count);
        // The merged database is a finished campaign: running the whole of it again relaxes nothing.
        var again = CliHarness.Run("campaign", inputs, "--db", db, "--batch-atoms", "8");
        Assert.Contains($"relaxed 0 (0 converged), skipped {count}", again.Out);
    }

    [Fact]
    public void Redirected_progress_lines_count_structures_done_of_the_total()
    {
        var (code, output, error) = CliHarness.Run("campaign", Inputs(5), "--db", Path.Combine(Dir, "p.db"), "--batch-atoms", "8", "--progress-every", "2");
        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        Assert.Contains(lines, l => l.TrimStart().StartsWith("Done") && l.Contains("Struct/s") && l.Contains("ETA(s)"));
        var rows = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 6 && int.TryParse(f[0], out _)).ToArray();
        Assert.Equal(["2", "4", "5"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal("5", r[1]));
    }

    [Fact]
    public void Auto_batch_size_is_measured_and_printed()
    {
        var (code, output, error) = CliHarness.Run("campaign", Inputs(2), "--db", Path.Combine(Dir, "a.db"));
        Assert.True(code == 0, error);
        Assert.Matches(@"batch of at most \d+ atoms picked \(", output);
    }

    [Fact]
    public void Sbatch_writes_an_array_script_running_the_campaign_in_shards()
    {
        string inputs = Inputs(1), script = Path.Combine(Dir, "job.sbatch"), db = Path.Combine(Dir, "r.db");
        var (code, output, error) = CliHarness.Run("sbatch", inputs, "--db", db, "--cell", "--shards", "4", "--script", script, "--time", "01:00:00", "--mdengine", "/opt/mdengine/mdengine");
        Assert.True(code == 0, error);
        Assert.Contains("sbatch", output);
        var text = File.ReadAllText(script);
        Assert.StartsWith("#!/bin/bash\n", text);
        Assert.Contains("#SBATCH --array=0-3\n", text);
        Assert.Contains("#SBATCH --time=01:00:00\n", text);
        Assert.Contains($"exec /opt/mdengine/mdengine campaign {inputs} --db {db} --potential auto --optimizer fire --fmax 0.05 --steps 500 --batch-atoms auto --cell\n", text);
        Assert.Contains("merge", text);
    }

    [Theory]
    [InlineData("campaign", "--shard", "2/2")]
    [InlineData("campaign", "--shard", "x")]
    [InlineData("campaign", "--batch-atoms", "0")]
    [InlineData("campaign", "--batch-atoms", "lots")]
    [InlineData("sbatch", "--shards", "0")]
    [InlineData("sbatch", "--shards", "2", "--time", "1 day")]
    public void Bad_shard_options_are_usage_errors(string command, params string[] options)
    {
        var (code, _, error) = CliHarness.Run([command, Inputs(1), "--db", Path.Combine(Dir, "r.db"), .. options]);
        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Merge_of_a_missing_database_is_refused_before_writing()
    {
        var (code, _, error) = CliHarness.Run("merge", Path.Combine(Dir, "none.db"), "--db", Path.Combine(Dir, "r.db"));
        Assert.Equal(2, code);
        Assert.Contains("none.db", error);
        Assert.False(File.Exists(Path.Combine(Dir, "r.db")));
    }
}
