using MDEngine.Dynamics;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Tests.Potentials;

namespace MDEngine.Tests.Dynamics;

/// <summary>The md workflow as a library call, and the ensemble registry the command line reads.</summary>
public sealed class MdRunnerTests
{
    [Fact]
    public void Replicas_share_one_potential_call_per_step_and_each_ends_as_when_run_alone()
    {
        const int steps = 25;
        var counting = new CountingPotential(ArgonCrystal.Potential(4.5));
        MdSettings Settings(int replicas, ulong seed) => new()
        {
            Inputs = [MdInput.Of("argon", ArgonCrystal.Build(2))], Replicas = replicas, Potential = _ => counting,
            Ensemble = "langevin", Temperature = 40, Steps = steps, Seed = seed, Integrator = new IntegratorSettings { TimeStep = 4 },
        };
        using var together = MdRunner.Open(Settings(3, 11));
        var report = together.Run();
        Assert.False(report.BlewUp);
        Assert.Equal(steps + 1, counting.Calls);
        Assert.Equal(3, counting.LargestBatch);
        for (int k = 0; k < 3; k++)
        {
            using var alone = MdRunner.Open(Settings(1, 11 + (ulong)k));
            alone.Run();
            Assert.Equal(alone.Runs[0].Dynamics.State.Structure.Positions, together.Runs[k].Dynamics.State.Structure.Positions);
            Assert.Equal(alone.Runs[0].Dynamics.State.Velocities, together.Runs[k].Dynamics.State.Velocities);
        }
    }

    [Fact]
    public void Every_ensemble_of_the_registry_makes_the_integrator_of_its_name()
    {
        foreach (var kind in EnsembleRegistry.All)
        {
            var integrator = kind.Create(new IntegratorSettings { TimeStep = 2, Temperature = 300 });
            Assert.Equal(kind.Name, integrator.Name);
            Assert.Equal(2, integrator.TimeStep);
            Assert.Equal(kind.Name != "nve", kind.NeedsTemperature);
        }
        Assert.Same(EnsembleRegistry.Find("nve"), EnsembleRegistry.Find("NVE"));
        Assert.Null(EnsembleRegistry.Find("nvx"));
    }

    [Theory]
    [InlineData("md.extxyz", 0, 1, "md.extxyz")]
    [InlineData("md.extxyz", 2, 3, "md.r2.extxyz")]
    [InlineData("out/thermo.csv", 0, 2, "out/thermo.r0.csv")]
    [InlineData("run", 1, 2, "run.r1")]
    public void Replica_files_carry_the_run_index_before_the_extension(string path, int index, int count, string expected) =>
        Assert.Equal(expected, MdRunner.ReplicaPath(path, index, count));

    [Fact]
    public void A_missing_temperature_or_an_unknown_ensemble_is_refused_before_anything_runs()
    {
        var input = MdInput.Of("argon", ArgonCrystal.Build(2));
        Assert.Throws<ArgumentException>(() => MdRunner.Open(new MdSettings { Inputs = [input], Potential = _ => ArgonCrystal.Potential(4.5), Ensemble = "bussi", Steps = 1 }));
        Assert.Throws<ArgumentException>(() => MdRunner.Open(new MdSettings { Inputs = [input], Potential = _ => ArgonCrystal.Potential(4.5), Ensemble = "nvx", Temperature = 3, Steps = 1 }));
        Assert.Throws<ArgumentException>(() => MdRunner.Open(new MdSettings { Inputs = [input], Potential = _ => ArgonCrystal.Potential(4.5), Temperature = 3, Fixed = [999], Steps = 1 }));
    }
}
