using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.Mace;

/// <summary>Graphs without edges (isolated atoms) go through the CPU kernels with empty edge arrays.</summary>
public class MaceEmptyGraphTests
{
    [Fact]
    public void IsolatedAtomsAddUpAndFeelNoForce()
    {
        var potential = MaceFixture.Potential;
        var one = Structure.FromSymbols(["Si"], [new Vec3(0, 0, 0)]);
        var two = Structure.FromSymbols(["Si", "Si"], [new Vec3(0, 0, 0), new Vec3(3 * potential.Cutoff, 0, 0)]);
        var single = potential.Compute(one, NeighborListBuilder.Build(one, potential.Cutoff, full: true), Quantities.All);
        var pair = potential.Compute(two, NeighborListBuilder.Build(two, potential.Cutoff, full: true), Quantities.All);
        var energyOnly = potential.Compute(two, NeighborListBuilder.Build(two, potential.Cutoff, full: true), Quantities.Energy);
        Assert.True(double.IsFinite(single.Energy));
        Assert.Equal(2 * single.Energy, pair.Energy, 12);
        Assert.Equal(pair.Energy, energyOnly.Energy, 12);
        Assert.All(pair.Forces!, f => Assert.Equal(0.0, f.Length));
    }
}
