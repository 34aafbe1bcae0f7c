using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Optimize;

/// <summary>A campaign split into shards: every structure in exactly one, the same one on every machine, and shard
/// databases merged into one by key, idempotently.</summary>
public sealed class CampaignShardTests() : TempDirectoryTests("mdengine-shard-")
{
    [Fact]
    public void Every_key_lands_in_exactly_one_shard_and_always_the_same()
    {
        var keys = Enumerable.Range(0, 2000).Select(i => $"inputs/s{i}.cif@{i % 3}").ToArray();
        foreach (int n in new[] { 1, 2, 7, 64 })
        {
            var shards = Enumerable.Range(0, n).Select(i => new CampaignShard(i, n)).ToArray();
            foreach (var key in keys) Assert.Single(shards, s => s.Contains(key));
            if (n == 7)
                // Balanced to within a few standard deviations of 2000/7.
                Assert.All(shards, s => Assert.InRange(keys.Count(s.Contains), 2000 / 7 - 60, 2000 / 7 + 60));
        }
        // FNV-1a 64 of "a": the published test vector, so the split does not depend on the runtime's string hash.
        Assert.Equal(0xaf63dc4c8601ec8cUL, CampaignShard.Hash("a"));
    }

    [Theory]
    [InlineData("3/8", 3, 8)]
    [InlineData("0/1", 0, 1)]
    public void Shards_are_read_as_i_of_n(string text, int index, int count) => Assert.Equal(new CampaignShard(index, count), CampaignShard.Parse(text));

    [Theory]
    [InlineData("8/8")]
    [InlineData("1/0")]
    [InlineData("-1/4")]
    [InlineData("a/b")]
    [InlineData("3")]
    public void Bad_shards_are_refused(string text) => Assert.Throws<FormatException>(() => CampaignShard.Parse(text));

    [Fact]
    public void A_slurm_array_task_names_its_shard()
    {
        static Func<string, string?> Env(params (string, string)[] values) => name => values.FirstOrDefault(v => v.Item1 == name).Item2;
        Assert.Null(CampaignShard.FromSlurm(Env()));
        Assert.Equal(new CampaignShard(2, 4), CampaignShard.FromSlurm(Env(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "4"))));
        Assert.Equal(new CampaignShard(2, 4), CampaignShard.FromSlurm(Env(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "1"))));
        Assert.Throws<FormatException>(() => CampaignShard.FromSlurm(Env(("SLURM_ARRAY_TASK_ID", "9"), ("SLURM_ARRAY_TASK_COUNT", "4"))));
        Assert.Equal(Path.Combine("out", "r.shard2of4.db"), new CampaignShard(2, 4).DatabaseName(Path.Combine("out", "r.db")));
        Assert.Equal("r.db", CampaignShard.All.DatabaseName("r.db"));
    }

    private static IEnumerable<(string, Structure)> Inputs(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var rng = new Random(i);
        var s = Structure.FromFractional([29, 29, 29, 29],
            [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0), new Vec3(0.5, 0, 0.5), new Vec3(0, 0.5, 0.5)], Cell.Cubic(3.62));
        s.SetPositions(s.Positions.Select(r => r + new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()) * 0.05).ToArray());
        return ($"cu{i}@0", s);
    });

    [Fact]
    public void Shards_merged_hold_every_structure_once_and_merging_again_adds_nothing()
    {
        var eam = PotentialSpec.Parse("auto", [29]);
        const int count = 9, shards = 3;
        for (int i = 0; i < shards; i++)
        {
            var shard = new CampaignShard(i, shards);
            new RelaxCampaign(eam, shard.DatabaseName(Path.Combine(Dir, "r.db")), 8).Run(shard.Select(Inputs(count)), () => new Fire(), s => new AtomsOptimizable(s));
        }
        var parts = Enumerable.Range(0, shards).Select(i => new CampaignShard(i, shards).DatabaseName(Path.Combine(Dir, "r.db"))).ToArray();
        string merged = Path.Combine(Dir, "r.db");
        Assert.Equal(new MergeSummary(count, 0, 0), CampaignMerge.Merge(merged, parts));
        Assert.Equal(new MergeSummary(0, count, 0), CampaignMerge.Merge(merged, parts));
        var rows = AseDatabase.Read(merged);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"cu{i}@0").Order(), rows.Select(r => (string)r.Info["key"]).Order());

        // The merged rows carry what the shards wrote: energies and key-value pairs.
        new RelaxCampaign(eam, Path.Combine(Dir, "whole.db"), 8).Run(Inputs(count), () => new Fire(), s => new AtomsOptimizable(s));
        var whole = AseDatabase.Read(Path.Combine(Dir, "whole.db")).ToDictionary(r => (string)r.Info["key"]);
        foreach (var row in rows)
        {
            Assert.Equal(whole[(string)row.Info["key"]].Energy, row.Energy);
            Assert.Equal(whole[(string)row.Info["key"]].Info["steps"], row.Info["steps"]);
        }
    }
}
