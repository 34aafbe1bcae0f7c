using MDEngine.Geometry;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.Mace;

/// <summary>Short descent and NVE runs with the fixture model: forces drive the energy down and conserve the total.</summary>
public class MaceDynamicsTests
{
    /// <summary>1 eV/(amu·Å) in Å/fs².</summary>
    private const double AccelerationUnit = 9.648533212331e-3;

    private static PotentialResult Evaluate(Structure s) =>
        MaceFixture.Potential.Compute(s, NeighborListBuilder.Build(s, MaceFixture.Potential.Cutoff, full: true), Quantities.EnergyAndForces);

    private static Structure Moved(Structure s, Vec3[] positions) => new(s.Numbers, positions, s.Cell, s.Pbc);

    [Fact]
    public void SteepestDescentLowersTheEnergyAsTheForcesPredict()
    {
        var s = MaceFixture.Frames[0].Structure;
        var current = Evaluate(s);
        const double step = 0.1; // Å²/eV
        for (int k = 0; k < 5; k++)
        {
            double squared = current.Forces!.Sum(f => f.LengthSquared);
            s = Moved(s, s.Positions.Zip(current.Forces!, (p, f) => p + step * f).ToArray());
            var next = Evaluate(s);
            Assert.True(next.Energy < current.Energy);
            // First order: ΔE ≈ −step |F|²; the step is small enough for the second order to stay below 5 %.
            Assert.Equal(-step * squared, next.Energy - current.Energy, 0.05 * step * squared);
            current = next;
        }
    }

    [Fact]
    public void VelocityVerletConservesTheTotalEnergy()
    {
        var s = MaceFixture.Frames[2].Structure;
        var rng = new Random(5);
        var velocities = s.Positions.Select(_ => new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * 0.01).ToArray();
        const double dt = 0.5;
        double Kinetic() => 0.5 * s.Masses.Zip(velocities, (m, v) => m * v.LengthSquared).Sum() / AccelerationUnit;
        var result = Evaluate(s);
        double initial = result.Energy + Kinetic();
        double maxDeviation = 0, maxKinetic = 0;
        for (int step = 0; step < 20; step++)
        {
            var forces = result.Forces!;
            for (int i = 0; i < s.Count; i++) velocities[i] += 0.5 * dt * AccelerationUnit / s.Masses[i] * forces[i];
            s = Moved(s, s.Positions.Zip(velocities, (p, v) => p + dt * v).ToArray());
            result = Evaluate(s);
            for (int i = 0; i < s.Count; i++) velocities[i] += 0.5 * dt * AccelerationUnit / s.Masses[i] * result.Forces![i];
            maxDeviation = Math.Max(maxDeviation, Math.Abs(result.Energy + Kinetic() - initial));
            maxKinetic = Math.Max(maxKinetic, Kinetic());
        }
        Assert.True(maxKinetic > 1e-3, "the run must move");
        Assert.True(maxDeviation < 1e-3 * maxKinetic, $"energy drift {maxDeviation:E2} eV for kinetic energy up to {maxKinetic:E2} eV");
    }
}
