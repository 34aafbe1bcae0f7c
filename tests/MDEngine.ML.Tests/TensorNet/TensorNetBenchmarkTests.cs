using MDEngine.Benchmarks;
using MDEngine.Neighbors;
using MDEngine.Potentials;

namespace MDEngine.ML.Tests.TensorNet;

/// <summary>The structures of <c>mdengine bench tensornet</c> are what they claim: rock salt, 8n³ atoms, the model's
/// per-atom energy of NaCl.</summary>
public class TensorNetBenchmarkTests
{
    [SkippableFact]
    public void RockSaltSupercellIsBound()
    {
        TensorNetFixture.RequireModel();
        var s = TestSystems.RattledRockSalt(2, 0);
        Assert.Equal(64, s.Count);
        Assert.Equal(32, s.Numbers.Count(z => z == 11));
        var potential = TensorNetFixture.Float32;
        var result = potential.Compute(s, NeighborListBuilder.Build(s, potential.Cutoff, full: true), Quantities.All);
        // MatPES PBE NaCl: about −3.4 eV/atom; a wrong lattice or species would be far off.
        Assert.InRange(result.Energy / s.Count, -3.6, -3.2);
    }
}
