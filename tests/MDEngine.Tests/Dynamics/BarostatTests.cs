using MDEngine.Dynamics;
using MDEngine.Geometry;

namespace MDEngine.Tests.Dynamics;

/// <summary>
/// Isothermal–isobaric sampling of a 32-atom Lennard-Jones argon crystal at 20 K and 0.1 GPa. The mean pressure
/// must agree with the target within three block-averaged standard errors; the volume fluctuations of C-rescale must
/// match ⟨δV²⟩ = k_BT V κ_T with κ_T estimated independently from the mean pressures of two NVT runs at volumes 1 %
/// apart. Seeds are fixed.
/// </summary>
public class BarostatTests
{
    private const double Temperature = 20, Dt = 8, PressureGPa = 0.1;
    private static readonly double Pressure = PressureGPa / MdUnits.GPaPerEvPerA3;
    private static readonly double Compressibility = MdUnits.GPaPerEvPerA3 / 3.0; // 1/(3 GPa) in Å³/eV

    private static ForceEvaluator Forces() => new(ArgonCrystal.Potential(4.5), skin: 1.2);

    private static List<ThermoSample> RunNpt(Integrator integrator, int production, double latticeConstant = 5.30, Mat3? shear = null)
    {
        var state = ArgonCrystal.State(2, Temperature, seed: 17, latticeConstant: latticeConstant);
        if (shear is { } mu) state.Structure.SetCell(new Structures.Cell(state.Structure.Cell.Matrix * mu), scaleAtoms: true);
        var md = new MolecularDynamics(state, integrator, Forces());
        md.Run(3000);
        return ArgonCrystal.Sample(md, production, 4);
    }

    /// <summary>Mean pressure (GPa) of an NVT run of the crystal with the given volume per atom.</summary>
    private static double NvtPressure(double volume)
    {
        double a = Math.Cbrt(volume / 8);
        var state = ArgonCrystal.State(2, Temperature, seed: 19, latticeConstant: a);
        var md = new MolecularDynamics(state, new Bussi(Dt, Temperature, 100, seed: 23), Forces());
        md.Run(1000);
        return ArgonCrystal.Sample(md, 8000, 4).Average(s => s.PressureGPa!.Value);
    }

    [Fact]
    public void CRescaleIsotropicSamplesPressureAndVolumeFluctuations()
    {
        var samples = RunNpt(new CRescale(Dt, Temperature, 100, Pressure, 400, Compressibility, CellCoupling.Isotropic, seed: 29), 40000);
        var pressure = samples.Select(s => s.PressureGPa!.Value).ToArray();
        var volume = samples.Select(s => s.Volume).ToArray();
        double meanP = Statistics.Mean(pressure), errorP = Statistics.MeanError(pressure);
        double meanV = Statistics.Mean(volume), varV = Statistics.Variance(volume), errorVarV = Statistics.VarianceError(volume);

        double dv = 0.01 * meanV;
        double kappa = -(2 * dv / meanV) / (NvtPressure(meanV + dv) - NvtPressure(meanV - dv)) * MdUnits.GPaPerEvPerA3; // Å³/eV
        double expected = MdUnits.Boltzmann * Temperature * meanV * kappa;
        string report = FormattableString.Invariant(
            $"<P> = {meanP:F4} ± {errorP:F4} GPa, <V> = {meanV:F2} Å³, Var(V) = {varV:F2} ± {errorVarV:F2} Å⁶, kT V κ = {expected:F2} Å⁶ (B = {MdUnits.GPaPerEvPerA3 / kappa:F2} GPa)");
        Assert.True(errorP < 0.01, "run too short: " + report);
        Assert.True(Math.Abs(meanP - PressureGPa) < 3 * errorP, report);
        Assert.True(3 * errorVarV < 0.15 * expected, "run too short: " + report);
        Assert.True(Math.Abs(varV - expected) < 0.15 * expected, report);
    }

    [Fact]
    public void CRescaleTriclinicRelaxesEveryStressComponent()
    {
        // Start from a sheared cell: the off-diagonal pressure must relax to zero and the diagonal to the target.
        var shear = new Mat3(1, 0, 0, 0.03, 1, 0, 0.02, -0.01, 1);
        var state = ArgonCrystal.State(2, Temperature, seed: 31, latticeConstant: 5.30);
        state.Structure.SetCell(new Structures.Cell(state.Structure.Cell.Matrix * shear), scaleAtoms: true);
        var md = new MolecularDynamics(state, new CRescale(Dt, Temperature, 100, Pressure, 400, Compressibility, CellCoupling.Anisotropic, seed: 37), Forces());
        md.Run(3000);
        var tensors = new List<Mat3>();
        var recorder = new TensorRecorder(tensors);
        md.Observers.Add(recorder);
        md.Run(20000);
        for (int a = 0; a < 3; a++)
            for (int b = 0; b <= a; b++)
            {
                var series = tensors.Select(p => p[a, b] * MdUnits.GPaPerEvPerA3).ToArray();
                double mean = Statistics.Mean(series), error = Statistics.MeanError(series);
                double target = a == b ? PressureGPa : 0;
                Assert.True(error < 0.02, $"P[{a},{b}] error {error:F4} GPa");
                Assert.True(Math.Abs(mean - target) < 3.5 * error, FormattableString.Invariant($"P[{a},{b}] = {mean:F4} ± {error:F4} GPa, target {target}"));
            }
        // The cell keeps a sane shape: angles within a few degrees of cubic.
        var p = state.Structure.Cell.Parameters();
        foreach (double angle in new[] { p.Alpha, p.Beta, p.Gamma }) Assert.InRange(angle, 80, 100);
    }

    private sealed class TensorRecorder(List<Mat3> tensors) : MdObserver(4)
    {
        public override void Observe(MolecularDynamics md) => tensors.Add(md.State.PressureTensor()!.Value);
    }

    [Fact]
    public void MtkSamplesTargetPressureAndTemperature()
    {
        var integrator = new MtkNpt(Dt, Temperature, tauT: 100, Pressure, tauP: 1000);
        var samples = RunNpt(integrator, 30000);
        var pressure = samples.Select(s => s.PressureGPa!.Value).ToArray();
        double meanP = Statistics.Mean(pressure), errorP = Statistics.MeanError(pressure);
        var temperature = samples.Select(s => s.Temperature).ToArray();
        double meanT = Statistics.Mean(temperature), errorT = Statistics.MeanError(temperature);
        double drift = samples.Max(s => s.ConservedEnergy) - samples.Min(s => s.ConservedEnergy);
        double energySpread = samples.Max(s => s.TotalEnergy) - samples.Min(s => s.TotalEnergy);
        string report = FormattableString.Invariant($"<P> = {meanP:F4} ± {errorP:F4} GPa, <T> = {meanT:F3} ± {errorT:F3} K, conserved spread {drift:E2} eV, E spread {energySpread:E2} eV");
        Assert.True(errorP < 0.01, "run too short: " + report);
        // MTK pins the time average of its barostat force, so the mean pressure is nearly exact; the pressure
        // estimators of the NPT ensemble differ by O(k_BT/V) (0.0002 GPa here), hence the 0.001 GPa floor.
        Assert.True(Math.Abs(meanP - PressureGPa) < Math.Max(3 * errorP, 0.001), report);
        Assert.True(Math.Abs(meanT - Temperature) < Math.Max(3 * errorT, 0.01 * Temperature), report);
        Assert.True(drift < 0.02 * energySpread, report);
    }

    [Fact]
    public void ShortBarostatTimeConstantsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CRescale(2, 300, 100, 0, tauP: 10, Compressibility, CellCoupling.Isotropic, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MtkNpt(2, 300, 100, 0, tauP: 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CRescale(2, 300, 100, 0, 1000, compressibility: -1, CellCoupling.Isotropic, 1));
    }
}
