using MDEngine.Dynamics;

namespace MDEngine.Tests.Dynamics;

/// <summary>
/// Canonical sampling of a 32-atom Lennard-Jones argon crystal at 20 K: the mean kinetic temperature must match the
/// target within 1 % and the variance of the kinetic energy the canonical value (N_f/2)(k_BT)² within 10 %.
/// The runs are long enough that both tolerances exceed three block-averaged standard errors (asserted too, so a
/// run too short to decide fails rather than passes by luck); seeds are fixed, so results are reproducible.
/// </summary>
public class ThermostatTests
{
    private const double Target = 20, Dt = 8;
    private const int Equilibration = 2000, Production = 40000, Every = 4;

    private static void CheckCanonical(Integrator integrator, bool momentumConserved)
    {
        var state = ArgonCrystal.State(2, Target, seed: 11, momentumConserved);
        var md = new MolecularDynamics(state, integrator, new ForceEvaluator(ArgonCrystal.Potential(4.5), skin: 1.2));
        md.Run(Equilibration);
        var samples = ArgonCrystal.Sample(md, Production, Every);
        var temperature = samples.Select(s => s.Temperature).ToArray();
        var kinetic = samples.Select(s => s.KineticEnergy).ToArray();
        int nf = state.DegreesOfFreedom(momentumConserved);
        double kT = MdUnits.Boltzmann * Target;
        double canonicalVariance = 0.5 * nf * kT * kT;

        double mean = Statistics.Mean(temperature), meanError = Statistics.MeanError(temperature);
        double variance = Statistics.Variance(kinetic), varianceError = Statistics.VarianceError(kinetic);
        string report = FormattableString.Invariant(
            $"{integrator.Name}: <T> = {mean:F3} ± {meanError:F3} K, Var(K)/canonical = {variance / canonicalVariance:F3} ± {varianceError / canonicalVariance:F3}");
        Assert.True(3 * meanError < 0.01 * Target, "run too short to decide: " + report);
        Assert.True(3 * varianceError < 0.10 * canonicalVariance, "run too short to decide: " + report);
        Assert.True(Math.Abs(mean - Target) < 0.01 * Target, report);
        Assert.True(Math.Abs(variance - canonicalVariance) < 0.10 * canonicalVariance, report);
    }

    [Fact] public void LangevinBaoabIsCanonical() => CheckCanonical(new Langevin(Dt, Target, friction: 0.01, seed: 3), momentumConserved: false);

    [Fact] public void BussiIsCanonical() => CheckCanonical(new Bussi(Dt, Target, tau: 100, seed: 5), momentumConserved: true);

    [Fact] public void NoseHooverChainIsCanonical() => CheckCanonical(new NoseHoover(Dt, Target, tau: 50, chainLength: 3), momentumConserved: true);

    [Fact]
    public void BerendsenReachesTargetButSuppressesFluctuations()
    {
        var state = ArgonCrystal.State(2, 5, seed: 11);
        var md = new MolecularDynamics(state, new Berendsen(Dt, Target, tau: 100), new ForceEvaluator(ArgonCrystal.Potential(4.5), skin: 1.2));
        md.Run(3000);
        var samples = ArgonCrystal.Sample(md, 4000, Every);
        double mean = samples.Average(s => s.Temperature);
        Assert.InRange(mean, 0.97 * Target, 1.03 * Target);
        double kT = MdUnits.Boltzmann * Target;
        double variance = Statistics.Variance(samples.Select(s => s.KineticEnergy).ToArray());
        // Weak coupling is known not to be canonical: kinetic fluctuations well below (N_f/2)(k_BT)².
        Assert.True(variance < 0.8 * 0.5 * state.DegreesOfFreedom(true) * kT * kT);
    }

    [Fact]
    public void ConservedQuantitiesStayConstant()
    {
        Integrator[] schemes = [new Langevin(4, Target, 0.01, 1), new Bussi(4, Target, 100, 2), new NoseHoover(4, Target, 100), new Berendsen(4, Target, 100),
            new CRescale(4, Target, 100, 0.0005, 400, 50, CellCoupling.Isotropic, 3), new CRescale(4, Target, 100, 0.0005, 400, 50, CellCoupling.Anisotropic, 4)];
        foreach (var scheme in schemes)
        {
            var state = ArgonCrystal.State(2, Target, seed: 13, scheme.ConservesMomentum);
            var md = new MolecularDynamics(state, scheme, new ForceEvaluator(ArgonCrystal.Potential(4.5), skin: 1.2));
            var samples = ArgonCrystal.Sample(md, 1500, 10);
            double spread = samples.Max(s => s.ConservedEnergy) - samples.Min(s => s.ConservedEnergy);
            double totalSpread = samples.Max(s => s.TotalEnergy) - samples.Min(s => s.TotalEnergy);
            // The bath exchanges energy (E_pot + E_kin wanders), the conserved quantity only shows integration error.
            Assert.True(spread < 0.05 * totalSpread && spread < 2e-4, $"{scheme.Name}: conserved spread {spread:E2} eV, E spread {totalSpread:E2} eV");
        }
    }
}
