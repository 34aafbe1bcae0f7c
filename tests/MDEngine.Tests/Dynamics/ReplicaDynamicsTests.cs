using MDEngine.Dynamics;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Tests.Potentials;

namespace MDEngine.Tests.Dynamics;

/// <summary>Replicas run side by side with one potential call per step for all, each ending exactly where it ends
/// when run alone.</summary>
public class ReplicaDynamicsTests
{
    private static readonly Potential Eam = PotentialSpec.Parse("auto", [29]);

    private static MolecularDynamics Replica(Potential potential, string ensemble, ulong seed)
    {
        var s = Supercell.Repeat(Structure.FromFractional([29, 29, 29, 29],
            [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0), new Vec3(0.5, 0, 0.5), new Vec3(0, 0.5, 0.5)], Cell.Cubic(3.615)), 2, 2, 2);
        var state = new MdState(s);
        MaxwellBoltzmann.Assign(state, 600, seed);
        Integrator integrator = ensemble == "nve" ? new VelocityVerlet(2.0) : new Langevin(2.0, 600, 0.01, seed);
        return new MolecularDynamics(state, integrator, new ForceEvaluator(potential));
    }

    [Theory]
    [InlineData("nve")]
    [InlineData("langevin")]
    public void EveryReplicaEndsExactlyAsWhenRunAlone(string ensemble)
    {
        const int replicas = 4, steps = 30;
        var alone = Enumerable.Range(0, replicas).Select(k => Replica(Eam, ensemble, 100 + (ulong)k)).ToArray();
        foreach (var run in alone) run.Run(steps);

        var counting = new CountingPotential(Eam);
        var together = Enumerable.Range(0, replicas).Select(k => Replica(counting, ensemble, 100 + (ulong)k)).ToArray();
        ReplicaDynamics.Run(together, steps);

        for (int k = 0; k < replicas; k++)
        {
            Assert.Equal(alone[k].State.Structure.Positions, together[k].State.Structure.Positions);
            Assert.Equal(alone[k].State.Velocities, together[k].State.Velocities);
            Assert.Equal(alone[k].State.PotentialEnergy, together[k].State.PotentialEnergy);
        }
        // One call per step for all replicas (plus the initial forces), each with every replica.
        Assert.Equal(steps + 1, counting.Calls);
        Assert.Equal(replicas, counting.LargestBatch);
        Assert.NotEqual(alone[0].State.Structure.Positions, alone[1].State.Structure.Positions);
    }

    [Fact]
    public void AReplicaThatFailsStopsAloneAndTheOthersFinish()
    {
        var runs = Enumerable.Range(0, 3).Select(k => Replica(Eam, "nve", 7 + (ulong)k)).ToArray();
        // Replica 1 starts with two atoms on top of each other: its first evaluation is a blow-up.
        var positions = runs[1].State.Structure.Positions.ToArray();
        positions[1] = positions[0] + new Vec3(0.05, 0, 0);
        runs[1].State.Structure.SetPositions(positions);
        var e = Assert.Throws<AggregateException>(() => ReplicaDynamics.Run(runs, 10));
        Assert.Single(e.InnerExceptions);
        Assert.IsType<MdBlowUpException>(e.InnerExceptions[0]);
        Assert.Equal(10, runs[0].State.Step);
        Assert.Equal(10, runs[2].State.Step);
    }
}
