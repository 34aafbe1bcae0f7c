using MDEngine.Optimize;

namespace MDEngine.Tests.Optimize;

/// <summary>Optimizers whose trajectories are not ASE 3.22's (FIRE 2.0, the line-search variants) must reach the
/// same minimum as ASE's BFGS converged tightly (fmax 1e-4 eV/Å), with and without the cell.</summary>
public class MinimumTests
{
    public static TheoryData<string, string> Runs() => new()
    {
        { "vacancy_tight", "FIRE2" }, { "vacancy_tight", "BFGS+LS" }, { "vacancy_tight", "LBFGS+LS" }, { "vacancy_tight", "FIRE" },
        { "strained_tight", "FIRE2" }, { "strained_tight", "BFGS+LS" }, { "strained_tight", "LBFGS+LS" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Reaches_the_ase_minimum(string caseName, string optimizer)
    {
        var c = AseReference.Cases.Single(x => x.Name == caseName);
        Optimizer opt = optimizer switch
        {
            "FIRE" => new Fire(),
            "FIRE2" => new Fire2(),
            "LBFGS" => new Lbfgs(),
            "BFGS+LS" => new Bfgs { UseLineSearch = true },
            "LBFGS+LS" => new Lbfgs { UseLineSearch = true },
            _ => throw new ArgumentException(optimizer),
        };
        var (result, _) = AseReference.Replay(c, opt);
        Assert.True(result.Converged, $"{optimizer} did not converge in {result.Steps} steps");
        Assert.True(result.MaxForce < 1e-4);
        // Converged to fmax 1e-4 the energy error is of order fmax²/k per atom, far below the tolerance.
        Assert.InRange(Math.Abs(result.FinalEnergy - c.FinalEnergy) / c.Start.Count, 0, 1e-6);
        var final = c.Final;
        Assert.True((final.Cell.Matrix - result.Structure.Cell.Matrix).MaxAbs() < 2e-3);
    }
}
