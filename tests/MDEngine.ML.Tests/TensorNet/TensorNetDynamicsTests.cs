using MDEngine.Dynamics;
using MDEngine.Structures;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.TensorNet;

/// <summary>NVE with the real TensorNet weights: velocity Verlet conserves the total energy, its fluctuation falling as dt².</summary>
public class TensorNetDynamicsTests(ITestOutputHelper output)
{
    /// <summary>Standard deviation and largest excursion of E_pot + E_kin over a run of the 8-atom Si cell from 300 K.</summary>
    private static (double Std, double MaxDeviation, double Temperature) Run(double dt, int steps)
    {
        var s = TensorNetFixture.Reference("si_diamond_rattled").Structure;
        var state = new MdState(new Structure(s.Numbers, s.Positions, s.Cell, s.Pbc));
        MaxwellBoltzmann.Assign(state, 300, seed: 11, exactTemperature: true);
        var md = new MolecularDynamics(state, new VelocityVerlet(dt), new ForceEvaluator(TensorNetFixture.Float64, skin: 0.5));
        var energies = new List<double>();
        double temperature = 0;
        for (int k = 0; k < steps; k++)
        {
            md.Run(1);
            energies.Add(md.ConservedEnergy);
            temperature += state.Temperature(momentumConserved: true) / steps;
        }
        double mean = energies.Average();
        return (Math.Sqrt(energies.Sum(e => (e - mean) * (e - mean)) / energies.Count), energies.Max(e => Math.Abs(e - energies[0])), temperature);
    }

    [SkippableFact]
    public void VelocityVerletConservesTheTotalEnergy()
    {
        TensorNetFixture.RequireModel();
        var coarse = Run(1.0, 100);
        var fine = Run(0.5, 200);
        output.WriteLine($"dt 1.0 fs: std {coarse.Std:E2} eV, max |E − E0| {coarse.MaxDeviation:E2} eV, <T> {coarse.Temperature:F0} K");
        output.WriteLine($"dt 0.5 fs: std {fine.Std:E2} eV, max |E − E0| {fine.MaxDeviation:E2} eV, <T> {fine.Temperature:F0} K");
        Assert.True(fine.Temperature > 50, "the atoms must move");
        // Over 100 fs at 0.5 fs the total energy stays within 1 meV of its start (8 atoms, k_B T = 26 meV).
        Assert.True(fine.MaxDeviation < 1e-3, $"energy excursion {fine.MaxDeviation:E2} eV");
        Assert.InRange(coarse.Std / fine.Std, 3.0, 5.0);
    }
}
