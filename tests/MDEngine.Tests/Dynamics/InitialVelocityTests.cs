using MDEngine.Dynamics;
using MDEngine.Geometry;

namespace MDEngine.Tests.Dynamics;

public class InitialVelocityTests
{
    [Fact]
    public void MaxwellBoltzmannHasZeroMomentumAndTheExactTemperatureWhenAsked()
    {
        var state = new MdState(ArgonCrystal.Build(3));
        MaxwellBoltzmann.Assign(state, 300, seed: 42, exactTemperature: true);
        var momentum = Vec3.Zero;
        for (int i = 0; i < state.Count; i++) momentum += state.Structure.Masses[i] * state.Velocities[i];
        Assert.True(momentum.Length < 1e-12);
        Assert.Equal(300, state.Temperature(true), 1e-9);
        Assert.Equal(3 * 108 - 3, state.DegreesOfFreedom(true));
    }

    [Fact]
    public void MaxwellBoltzmannIsReproducibleAndRoughlyAtTemperature()
    {
        var a = new MdState(ArgonCrystal.Build(4));
        var b = new MdState(ArgonCrystal.Build(4));
        MaxwellBoltzmann.Assign(a, 500, seed: 1);
        MaxwellBoltzmann.Assign(b, 500, seed: 1);
        Assert.Equal(a.Velocities, b.Velocities);
        // 256 atoms: the drawn temperature is within ~3 standard deviations (√(2/N_f) ≈ 5 %) of the target.
        Assert.InRange(a.Temperature(true), 500 * 0.85, 500 * 1.15);
        MaxwellBoltzmann.Assign(b, 500, seed: 2);
        Assert.NotEqual(a.Velocities, b.Velocities);
    }

    [Fact]
    public void FixedAtomsStayPutAndLeaveTheDegreesOfFreedom()
    {
        var state = new MdState(ArgonCrystal.Build(2), fixedAtoms: [0, 3]);
        MaxwellBoltzmann.Assign(state, 40, seed: 8, exactTemperature: true);
        Assert.Equal(3 * 30, state.DegreesOfFreedom(true));
        Assert.Equal(40, state.Temperature(true), 1e-9);
        var start = (Vec3[])state.Structure.Positions.Clone();
        var md = new MolecularDynamics(state, new Langevin(5, 40, 0.01, 3), new ForceEvaluator(ArgonCrystal.Potential(4.5), skin: 1.0));
        md.Run(200);
        foreach (int i in new[] { 0, 3 })
        {
            Assert.Equal(start[i], state.Structure.Positions[i]);
            Assert.Equal(Vec3.Zero, state.Velocities[i]);
            Assert.Equal(Vec3.Zero, state.Forces[i]);
        }
        Assert.NotEqual(start[1], state.Structure.Positions[1]);
    }

    [Fact]
    public void UnitConversionFollowsCodata()
    {
        // ASE: units.fs = 1e-15 s / sqrt(amu Å² / eV), so eV/amu in Å²/fs² = units.fs².
        Assert.Equal(9.64853321e-3, MdUnits.EvPerAmuInA2PerFs2, 1e-11);
        Assert.Equal(8.617333262e-5, MdUnits.Boltzmann, 1e-14);
        Assert.Equal(160.21766208, MdUnits.GPaPerEvPerA3, 1e-6);
    }
}
