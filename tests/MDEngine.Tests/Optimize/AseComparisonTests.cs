using MDEngine.Optimize;

namespace MDEngine.Tests.Optimize;

/// <summary>MDEngine's optimizers against ASE 3.22 on the same starting structures with the same Lennard-Jones
/// potential (tools/reference/ase_relax.py): FIRE, BFGS and L-BFGS reproduce ASE's trajectories step by step.</summary>
public class AseComparisonTests
{
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in AseReference.Cases) data.Add($"{c.Name}|{c.Optimizer}|{c.Cell}");
        return data;
    }

    private static AseReference.Case Get(string id)
    {
        var p = id.Split('|');
        return AseReference.Find(p[0], p[1], bool.Parse(p[2]));
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Matches_ase_step_for_step(string id)
    {
        var c = Get(id);
        var (result, energies) = AseReference.Replay(c);
        var reference = c.Energies;
        int atoms = c.Start.Count;

        Assert.Equal(c.Converged, result.Converged);
        // Same final energy to 1e-5 eV per atom.
        Assert.InRange(Math.Abs(result.FinalEnergy - c.FinalEnergy) / atoms, 0, 1e-5);
        // Same number of steps: identical algorithms on identical forces take identical steps.
        Assert.Equal(c.Steps, result.Steps);
        Assert.Equal(reference.Length, energies.Count);
        // Step-by-step energies while the trajectories have not yet been separated by round-off.
        for (int k = 0; k < Math.Min(reference.Length, energies.Count); k++)
            Assert.True(Math.Abs(reference[k] - energies[k]) < 1e-7 * atoms, $"{c}: step {k}: {energies[k]} vs ASE {reference[k]}");
        // Same final geometry.
        var final = c.Final;
        Assert.True((final.Cell.Matrix - result.Structure.Cell.Matrix).MaxAbs() < 1e-4, $"{c}: final cell differs");
        for (int i = 0; i < atoms; i++)
            Assert.True((final.Positions[i] - result.Structure.Positions[i]).Length < 1e-4, $"{c}: atom {i} differs");
    }
}
