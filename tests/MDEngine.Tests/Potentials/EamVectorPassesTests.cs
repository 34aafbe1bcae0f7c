using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Potentials.Eam;

namespace MDEngine.Tests.Potentials;

/// <summary>The EAM passes four pairs at a time give what the scalar passes give, for the three file formats, alloys
/// (per-lane density and pair functions), half and full lists with pairs in the skin, per-atom energies and stress.
/// Runs alone: it flips a process-wide switch that a bit-identical restart running beside it must not see.</summary>
[Collection(GlobalParallelismCollection.Name)]
public class EamVectorPassesTests
{
    [Theory]
    [InlineData("eam_funcfl_cu_triclinic")]
    [InlineData("eam_funcfl_cuni_two_files")]
    [InlineData("eam_alloy_cuni_slab")]
    [InlineData("eam_fs_cuzr_alloy")]
    public void MatchTheScalarPasses(string caseName)
    {
        var c = LammpsCase.Get(caseName);
        var potential = c.CreatePotential();
        Assert.IsType<EmbeddedAtom>(potential);
        bool saved = EmbeddedAtom.UseVectorizedPasses;
        try
        {
            foreach (bool full in new[] { false, true })
            {
                var list = NeighborListBuilder.Build(c.Structure, potential.Cutoff + 0.8, full);
                EmbeddedAtom.UseVectorizedPasses = true;
                var vector = potential.Compute(c.Structure, list, Quantities.All | Quantities.AtomEnergies);
                EmbeddedAtom.UseVectorizedPasses = false;
                var scalar = potential.Compute(c.Structure, list, Quantities.All | Quantities.AtomEnergies);
                string where = $"{caseName}, {(full ? "full" : "half")} list";
                Assert.True(Math.Abs(vector.Energy - scalar.Energy) < 1e-12 * Math.Abs(scalar.Energy), $"{where}: energy {vector.Energy} vs {scalar.Energy}");
                for (int i = 0; i < c.Structure.Count; i++)
                {
                    Assert.True((vector.Forces![i] - scalar.Forces![i]).Length < 1e-11, $"{where}: force on atom {i}");
                    Assert.True(Math.Abs(vector.AtomEnergies![i] - scalar.AtomEnergies![i]) < 1e-11, $"{where}: energy of atom {i}");
                }
                if (scalar.Stress is { } stress)
                {
                    var difference = vector.Stress!.Value.ToArray().Zip(stress.ToArray(), (x, y) => Math.Abs(x - y)).Max();
                    Assert.True(difference < 1e-13, $"{where}: stress differs by {difference}");
                }
                Assert.Equal(scalar.ClosestPairDistance!.Value, vector.ClosestPairDistance!.Value, 12);
            }
        }
        finally { EmbeddedAtom.UseVectorizedPasses = saved; }
    }
}
