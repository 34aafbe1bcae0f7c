using MDEngine.Dynamics;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Dynamics;

public class BlowUpTests
{
    [Fact]
    public void PlantedOverlapStopsTheRunBeforeAnyStep()
    {
        var state = ArgonCrystal.State(2, 30, seed: 3);
        state.Structure.Positions[5] = state.Structure.Positions[0] + new Vec3(0.3, 0.2, 0);
        var md = new MolecularDynamics(state, new VelocityVerlet(2), new ForceEvaluator(ArgonCrystal.Potential(4.5)));
        var e = Assert.Throws<MdBlowUpException>(() => md.Run(10));
        Assert.Contains("atoms 0 and 5", e.Message);
        Assert.Equal(0, state.Step);
    }

    [Fact]
    public void ConfigurableMinimumDistance()
    {
        var state = ArgonCrystal.State(2, 30, seed: 3);
        var forces = new ForceEvaluator(ArgonCrystal.Potential(4.5)) { BlowUp = new BlowUpDetector(minDistance: 3.8) };
        // Nearest neighbours sit at 3.72 Å: a 3.8 Å bound trips at once.
        Assert.Throws<MdBlowUpException>(() => new MolecularDynamics(state, new VelocityVerlet(2), forces).Run(1));
    }

    /// <summary>A potential that turns to NaN after a number of evaluations, as a diverging ML model might.</summary>
    private sealed class FailingPotential(Potential inner, int goodEvaluations) : Potential
    {
        private int _count;
        public override string Name => "failing";
        public override double Cutoff => inner.Cutoff;
        public override void Compute(PotentialBatch batch)
        {
            inner.Compute(batch);
            if (++_count > goodEvaluations) batch.Store(0, double.NaN, batch.Stress(0));
        }
    }

    [Fact]
    public void NonFiniteEnergyStopsTheRunAndKeepsTheLastGoodCheckpointAndLog()
    {
        string dir = Directory.CreateTempSubdirectory("mdengine-blowup").FullName;
        try
        {
            string checkpoint = Path.Combine(dir, "run.ckpt"), log = Path.Combine(dir, "thermo.csv");
            var state = ArgonCrystal.State(2, 30, seed: 3);
            var md = new MolecularDynamics(state, new Bussi(4, 30, 100, 9), new ForceEvaluator(new FailingPotential(ArgonCrystal.Potential(4.5), 58)));
            md.Observers.Add(new CheckpointObserver(checkpoint, 20));
            using (var thermo = ThermoLogObserver.ToFile(log, 10))
            {
                md.Observers.Add(thermo);
                var e = Assert.Throws<MdBlowUpException>(() => md.Run(100));
                Assert.Equal(58, e.Step); // evaluation 59 is the one of step 58's coordinates
            }
            var restored = Checkpoint.Read(checkpoint, new Bussi(4, 30, 100, 9));
            Assert.Equal(40, restored.Step);
            Assert.All(restored.Velocities, v => Assert.True(v.IsFinite));
            var rows = File.ReadAllLines(log);
            Assert.Equal(1 + 6, rows.Length); // header + steps 0, 10, ..., 50
            Assert.DoesNotContain("NaN", File.ReadAllText(log));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
