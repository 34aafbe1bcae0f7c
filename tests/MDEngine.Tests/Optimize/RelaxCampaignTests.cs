using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Optimize;

/// <summary>A campaign writes each relaxation to an ASE database as it finishes; killed and started again, it finishes
/// the rest and ends with the same rows as a run that was never interrupted.</summary>
public sealed class RelaxCampaignTests() : TempDirectoryTests("mdengine-campaign-")
{
    private static readonly Potential Eam = PotentialSpec.Parse("auto", [29]);

    private static IEnumerable<(string, Structure)> Inputs(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var rng = new Random(i);
            var s = Supercell.Repeat(Structure.FromFractional([29, 29, 29, 29],
                [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0), new Vec3(0.5, 0, 0.5), new Vec3(0, 0.5, 0.5)], Cell.Cubic(3.6 + 0.03 * rng.NextDouble())),
                1 + i % 2, 1, 1);
            s.SetPositions(s.Positions.Select(r => r + new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * 0.1).ToArray());
            yield return ($"cell-{i}", s);
        }
    }

    private CampaignSummary Campaign(string db, Action<RelaxOutcome>? finished = null) =>
        new RelaxCampaign(Eam, db, maxBatchAtoms: 20, new RelaxOptions { Fmax = 0.02 })
            .Run(Inputs(10), () => new Fire(), s => new FrechetCellFilter(s), finished);

    [Fact]
    public void AKilledCampaignStartedAgainFinishesTheRestWithNothingLostOrDuplicated()
    {
        string whole = Path.Combine(Dir, "whole.db"), resumed = Path.Combine(Dir, "resumed.db");
        Assert.Equal(new CampaignSummary(10, 10, 0), Campaign(whole));

        int rows = 0;
        Assert.Throws<OperationCanceledException>(() => Campaign(resumed, _ => { if (++rows == 4) throw new OperationCanceledException("killed"); }));
        Assert.Equal(4, AseDatabase.Read(resumed).Count);
        Assert.Equal(new CampaignSummary(6, 6, 4), Campaign(resumed));

        var expected = AseDatabase.Read(whole).ToDictionary(s => (string)s.Info["key"]);
        var got = AseDatabase.Read(resumed);
        Assert.Equal(10, got.Count);
        Assert.Equal(10, got.Select(s => (string)s.Info["key"]).Distinct().Count());
        foreach (var s in got)
        {
            var reference = expected[(string)s.Info["key"]];
            Assert.Equal(reference.Positions, s.Positions);
            Assert.Equal(reference.Cell, s.Cell);
            Assert.Equal(reference.Energy, s.Energy);
            Assert.Equal(true, s.Info["converged"]);
            Assert.True(s.Info.ContainsKey("pressure_gpa") && s.Info.ContainsKey("energy_per_atom") && s.Info.ContainsKey("steps"));
        }
        // Started again once more, it has nothing left to do.
        Assert.Equal(new CampaignSummary(0, 0, 10), Campaign(resumed));
    }
}
