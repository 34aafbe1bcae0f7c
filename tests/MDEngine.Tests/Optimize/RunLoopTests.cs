using MDEngine.Neighbors;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Tests.Potentials;

namespace MDEngine.Tests.Optimize;

public class RunLoopTests
{
    [Fact]
    public void Non_convergence_is_reported_and_the_best_state_kept()
    {
        var c = AseReference.Find("vacancy", "FIRE", cell: false);
        var relaxation = new Relaxation(new AtomsOptimizable(c.Start), new Fire(), new BoundPotential(AseReference.Potential),
            new RelaxOptions { MaxSteps = 5 });
        var result = relaxation.Run();
        Assert.False(result.Converged);
        Assert.Equal(5, result.Steps);
        Assert.Equal(6, result.ForceCalls);
        Assert.True(result.MaxForce >= 0.05);
        // ASE's energies after 5 FIRE steps, and the best state is the lowest of them with its results stored.
        var reference = c.Energies.Take(6).ToArray();
        Assert.Equal(reference.Min(), result.BestObjective, 1e-8);
        Assert.Equal(reference.Min(), result.Best.Energy!.Value, 1e-8);
        Assert.NotNull(result.Best.Forces);
        var check = new BoundPotential(AseReference.Potential).Compute(result.Best);
        Assert.Equal(result.Best.Energy!.Value, check.Energy, 1e-10);
    }

    [Fact]
    public void Fixed_atoms_do_not_move()
    {
        var c = AseReference.Find("slab", "BFGS", cell: false);
        var start = c.Start;
        var (result, _) = AseReference.Replay(c);
        var fixedAtoms = c.Json.GetProperty("fixed").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        Assert.NotEmpty(fixedAtoms);
        foreach (int i in fixedAtoms)
        {
            Assert.Equal(start.Positions[i], result.Structure.Positions[i]);
            Assert.Equal(0.0, result.Forces[i].Length);
        }
        Assert.Null(result.Stress);
    }

    /// <summary>Counts potential calls and batch sizes.</summary>
    [Fact]
    public void A_batch_converges_each_structure_on_its_own_with_one_call_per_step()
    {
        var cases = new[]
        {
            AseReference.Find("vacancy", "FIRE", cell: false),
            AseReference.Find("alloy", "FIRE", cell: false),
            AseReference.Find("slab", "FIRE", cell: false),
            AseReference.Find("vacancy", "FIRE", cell: true),
        };
        var potential = new CountingPotential(AseReference.Potential);
        var targets = cases.Select(c => AseReference.Target(c, c.Start)).ToArray();
        var results = new BatchRelaxer(potential).Run(targets, () => new Fire());
        for (int b = 0; b < cases.Length; b++)
        {
            Assert.True(results[b].Converged);
            Assert.Equal(cases[b].Steps, results[b].Steps);
            Assert.Equal(cases[b].FinalEnergy, results[b].FinalEnergy, 1e-7);
        }
        // FIRE needs one evaluation per step: one batch call per step of the longest relaxation, and the batch
        // shrinks as relaxations finish.
        Assert.Equal(cases.Max(c => c.Steps) + 1, potential.BatchSizes.Count);
        Assert.Equal(cases.Length, potential.BatchSizes[0]);
        Assert.Equal(1, potential.BatchSizes[^1]);
        Assert.Equal(cases.Sum(c => c.Steps + 1), potential.BatchSizes.Sum());
    }

    [Fact]
    public void A_batch_with_line_searches_matches_single_relaxations()
    {
        var cases = new[] { AseReference.Find("vacancy", "LBFGS", cell: false), AseReference.Find("strained", "LBFGS", cell: true) };
        var potential = new CountingPotential(AseReference.Potential);
        var targets = cases.Select(c => AseReference.Target(c, c.Start)).ToArray();
        var batch = new BatchRelaxer(potential).Run(targets, () => new Lbfgs { UseLineSearch = true });
        for (int b = 0; b < cases.Length; b++)
        {
            var (single, _) = AseReference.Replay(cases[b], new Lbfgs { UseLineSearch = true });
            Assert.True(batch[b].Converged);
            Assert.Equal(single.Steps, batch[b].Steps);
            Assert.Equal(single.ForceCalls, batch[b].ForceCalls);
            Assert.Equal(single.FinalEnergy, batch[b].FinalEnergy, 1e-10);
        }
        // Every evaluation went through a batch (trial points inside line searches are batches of one).
        Assert.Equal(batch.Sum(r => r.ForceCalls), potential.BatchSizes.Sum());
    }
}
