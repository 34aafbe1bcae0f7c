using MDEngine.Dynamics;
using MDEngine.Geometry;

namespace MDEngine.Tests.Dynamics;

/// <summary>A run continued from a checkpoint must reproduce the uninterrupted run bit for bit, for every scheme,
/// stochastic ones included (the random-number state travels in the checkpoint).</summary>
public class RestartTests
{
    public static TheoryData<string> Schemes => ["nve", "langevin", "bussi", "nose-hoover", "berendsen", "npt-crescale", "npt-crescale-aniso", "npt-mtk"];

    private static Integrator Create(string name) => name switch
    {
        "nve" => new VelocityVerlet(5),
        "langevin" => new Langevin(5, 30, 0.01, seed: 1),
        "bussi" => new Bussi(5, 30, 100, seed: 2),
        "nose-hoover" => new NoseHoover(5, 30, 100),
        "berendsen" => new Berendsen(5, 30, 100),
        "npt-crescale" => new CRescale(5, 30, 100, 0.001, 200, 50, CellCoupling.Isotropic, seed: 3),
        "npt-crescale-aniso" => new CRescale(5, 30, 100, 0.001, 200, 50, CellCoupling.Anisotropic, seed: 4),
        "npt-mtk" => new MtkNpt(5, 30, 100, 0.001, 500),
        _ => throw new ArgumentException(name),
    };

    private static ForceEvaluator Forces() => new(ArgonCrystal.Potential(4.5), skin: 0.3);

    [Theory]
    [MemberData(nameof(Schemes))]
    public void ResumedRunIsBitIdentical(string scheme)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mdengine-restart-{scheme}-{Environment.ProcessId}.ckpt");
        try
        {
            var state = ArgonCrystal.State(2, 30, seed: 5, momentumConserved: scheme != "langevin");
            var md = new MolecularDynamics(state, Create(scheme), Forces());
            md.Observers.Add(new CheckpointObserver(path, 150));
            md.Run(150);
            md.Run(150);

            // Interrupted run: the same start, stopped after 150 steps with its checkpoint.
            var first = new MolecularDynamics(ArgonCrystal.State(2, 30, seed: 5, momentumConserved: scheme != "langevin"), Create(scheme), Forces());
            first.Observers.Add(new CheckpointObserver(path, 1000));
            first.Run(150);
            var resumedIntegrator = Create(scheme);
            var resumed = MolecularDynamics.Resume(Checkpoint.Read(path, resumedIntegrator), resumedIntegrator, Forces());
            resumed.Run(150);

            Assert.Equal(300, resumed.State.Step);
            Assert.Equal(md.State.Time, resumed.State.Time);
            Assert.Equal(md.State.Structure.Cell.Matrix.ToArray(), resumed.State.Structure.Cell.Matrix.ToArray());
            for (int i = 0; i < state.Count; i++)
            {
                Assert.Equal(md.State.Structure.Positions[i], resumed.State.Structure.Positions[i]);
                Assert.Equal(md.State.Velocities[i], resumed.State.Velocities[i]);
                Assert.Equal(md.State.Forces[i], resumed.State.Forces[i]);
            }
            Assert.Equal(md.ConservedEnergy, resumed.ConservedEnergy);
            // Several neighbor-list rebuilds happened after the restart point, so list handling is exercised.
            Assert.True(resumed.Forces.NeighborListBuilds > 1, $"{resumed.Forces.NeighborListBuilds} builds");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CheckpointOfAnotherSchemeIsRefused()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mdengine-restart-mismatch-{Environment.ProcessId}.ckpt");
        try
        {
            var md = new MolecularDynamics(ArgonCrystal.State(2, 30, seed: 5), new Bussi(5, 30, 100, 1), Forces());
            md.Observers.Add(new CheckpointObserver(path, 10));
            md.Run(10);
            Assert.Throws<MDEngine.IO.InputException>(() => Checkpoint.Read(path, new NoseHoover(5, 30, 100)));
            Assert.Throws<MDEngine.IO.InputException>(() => Checkpoint.Read(path, new Bussi(4, 30, 100, 1)));
            File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);
            Assert.Throws<MDEngine.IO.InputException>(() => Checkpoint.Read(path, new Bussi(5, 30, 100, 1)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
