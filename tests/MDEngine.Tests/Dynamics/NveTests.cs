using MDEngine.Dynamics;

namespace MDEngine.Tests.Dynamics;

public class NveTests
{
    /// <summary>Energy fluctuation (standard deviation of E_pot + E_kin) and drift (slope of a linear fit, eV/ps)
    /// of an NVE run of 32 argon atoms at 40 K with a cutoff between neighbour shells.</summary>
    private static (double Fluctuation, double DriftPerPs) Run(double dt, double durationFs)
    {
        var state = ArgonCrystal.State(2, 40, seed: 7);
        var md = new MolecularDynamics(state, new VelocityVerlet(dt), new ForceEvaluator(ArgonCrystal.Potential(4.5), skin: 0.6));
        var samples = ArgonCrystal.Sample(md, (long)(durationFs / dt), every: (int)(4 / dt));
        var t = samples.Select(s => s.TimePs).ToArray();
        var e = samples.Select(s => s.TotalEnergy).ToArray();
        double tm = t.Average(), em = e.Average();
        double slope = t.Zip(e).Sum(p => (p.First - tm) * (p.Second - em)) / t.Sum(x => (x - tm) * (x - tm));
        double std = Math.Sqrt(e.Sum(x => (x - em) * (x - em)) / e.Length);
        return (std, slope);
    }

    [Fact]
    public void EnergyFluctuationsScaleAsTimeStepSquaredWithoutDrift()
    {
        var (coarse, coarseDrift) = Run(4, 2000);
        var (fine, fineDrift) = Run(2, 2000);
        double ratio = coarse / fine;
        Assert.InRange(ratio, 3.4, 4.6);
        // The drift over the run stays below the fluctuation itself (no systematic heating).
        Assert.True(Math.Abs(coarseDrift) * 2.0 < coarse, $"drift {coarseDrift:E2} eV/ps vs fluctuation {coarse:E2} eV");
        Assert.True(Math.Abs(fineDrift) * 2.0 < fine, $"drift {fineDrift:E2} eV/ps vs fluctuation {fine:E2} eV");
        // Energy fluctuation below 1e-6 eV per atom at 2 fs (k_BT is 3.4e-3 eV).
        Assert.True(fine / 32 < 1e-6, $"fluctuation per atom {fine / 32:E2} eV");
    }
}

public class EamNveTests
{
    /// <summary>Copper with the EAM potential Cu_u3.eam, 32 atoms at 600 K: the energy fluctuation of velocity
    /// Verlet must scale as dt² (ratio 4 between 2 fs and 1 fs) and show no drift. The full-size check (500 atoms,
    /// 10 ps) is reported in docs/dynamics.md.</summary>
    [Fact]
    public void CopperEnergyFluctuationsScaleAsTimeStepSquared()
    {
        var potential = MDEngine.Potentials.PotentialSpec.Parse(ReferenceData.PathOf("potentials", "lammps", "Cu_u3.eam"));
        (double Std, double Drift) Run(double dt)
        {
            var s = ArgonCrystal.Build(2, 3.615);
            var cu = new Structures.Structure(Enumerable.Repeat(29, s.Count).ToArray(), s.Positions, s.Cell, s.Pbc);
            var state = new MdState(cu);
            MaxwellBoltzmann.Assign(state, 600, seed: 4, exactTemperature: true);
            var md = new MolecularDynamics(state, new VelocityVerlet(dt), new ForceEvaluator(potential));
            var samples = ArgonCrystal.Sample(md, (long)(400 / dt), (int)(2 / dt));
            var e = samples.Select(x => x.TotalEnergy).ToArray();
            var t = samples.Select(x => x.TimePs).ToArray();
            double em = e.Average(), tm = t.Average();
            double slope = t.Zip(e).Sum(p => (p.First - tm) * (p.Second - em)) / t.Sum(x => (x - tm) * (x - tm));
            return (Math.Sqrt(e.Sum(x => (x - em) * (x - em)) / e.Length), slope);
        }
        var coarse = Run(2);
        var fine = Run(1);
        Assert.InRange(coarse.Std / fine.Std, 3.4, 4.6);
        Assert.True(fine.Std / 32 < 1e-5, $"fluctuation {fine.Std / 32:E2} eV/atom");
        Assert.True(Math.Abs(fine.Drift) * 0.4 < 3 * fine.Std, $"drift {fine.Drift:E2} eV/ps over 0.4 ps vs fluctuation {fine.Std:E2} eV");
    }
}
