using MDEngine.Geometry;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.Mace;

/// <summary>Symmetries and consistency of the MACE fixture model, independent of the reference numbers.</summary>
public class MacePhysicsTests
{
    private static MacePotential Potential => MaceFixture.Potential;

    private static PotentialResult Evaluate(Structure s, Quantities what = Quantities.All) =>
        Potential.Compute(s, NeighborListBuilder.Build(s, Potential.Cutoff, full: true), what);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ResultsAreInvariantUnderRotationReflectionTranslationPermutationImagesSupercellAndBatching(int frameIndex)
    {
        var s = MaceFixture.Frames[frameIndex].Structure;
        var report = PotentialConformance.CheckInvariances(Potential, s, seed: frameIndex);
        double energy = Math.Abs(Evaluate(s, Quantities.Energy).Energy);
        Assert.True(report.Worst < 1e-10 * Math.Max(1, energy), report.ToString());
    }

    [Fact]
    public void ForcesAndStressAreDerivativesOfTheEnergy()
    {
        var s = MaceFixture.Frames[2].Structure;
        var report = PotentialConformance.Check(Potential, s, displacement: 1e-5, strain: 1e-5, atoms: Enumerable.Range(0, s.Count).Where(a => a % 2 == 0).ToArray());
        Assert.True(report.MaxForceError < 1e-7, report.ToString());
        Assert.True(report.MaxStressError < 1e-8, report.ToString());
        Assert.True(report.AtomEnergySumError < 1e-10 * Math.Abs(report.Energy), report.ToString());
        Assert.True(report.SkinEnergyDifference < 1e-10 * Math.Abs(report.Energy) && report.SkinForceDifference < 1e-10, report.ToString());
    }

    [Fact]
    public void BatchEqualsOneByOne()
    {
        // Every fixture frame (molecules and crystals of different sizes) in one batch against each alone.
        var frames = MaceFixture.Frames.Select(f => f.Structure).ToArray();
        double scale = frames.Max(f => Math.Abs(Evaluate(f, Quantities.Energy).Energy));
        Assert.True(PotentialConformance.CheckBatch(Potential, frames) < 1e-11 * Math.Max(1, scale));
    }
}
