using MDEngine.Benchmarks;
using MDEngine.Benchmarks.Models;
using MDEngine.IO;
using MDEngine.ML.E3nn;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.Mace;

/// <summary>
/// The splined radial networks (<c>radial_spline=N</c>, <see cref="MaceOptions.RadialSplinePoints"/>) on the benchmark
/// model (MACE-MP-0-medium shape, random weights) and a rattled 64-atom Si cell: close to the exact model, closer as
/// the knots get denser (cubic convergence), and self-consistent (forces and stress are derivatives of the splined
/// energy); refused where R is not a function of r alone.
/// </summary>
public class MaceRadialSplineTests(ITestOutputHelper output)
{
    private static readonly Lazy<Dictionary<string, MDEngine.ML.IO.SafeTensor>> Weights = new(() => RandomMaceWeights.Create(MaceTiming.MediumConfig, seed: 1));
    private static readonly Lazy<Structure> Silicon = new(() => TestSystems.RattledSilicon(2, 5));
    private static readonly Lazy<PotentialResult> Exact = new(() => Evaluate(Model(null)));

    private static MacePotential Model(int? points, ScalarType dtype = ScalarType.Float64) =>
        new(new MaceModel(MaceTiming.MediumConfig, Weights.Value, new TensorOptions(dtype, CPU), radialSplinePoints: points));

    private static PotentialResult Evaluate(Potential potential) =>
        potential.Compute(Silicon.Value, NeighborListBuilder.Build(Silicon.Value, potential.Cutoff, potential.NeedsFullNeighborList), Quantities.All);

    /// <summary>Relative energy error, largest force component error (eV/Å), largest stress component error (eV/Å³).</summary>
    private static (double Energy, double Force, double Stress) Errors(PotentialResult splined, PotentialResult exact) =>
        (Math.Abs(splined.Energy - exact.Energy) / Math.Abs(exact.Energy),
         splined.Forces!.Zip(exact.Forces!, (a, b) => a - b).Max(d => Math.Max(Math.Abs(d.X), Math.Max(Math.Abs(d.Y), Math.Abs(d.Z)))),
         (splined.Stress!.Value - exact.Stress!.Value).ToArray().Max(Math.Abs));

    /// <summary>The spline kernel alone: a cubic is its own Hermite interpolant, so values and the reverse pass are
    /// exact (up to the central-difference slopes and, at r = 0, the mean of the neighbours); beyond the ends the
    /// spline keeps its end value with zero slope.</summary>
    [Theory]
    [InlineData(ScalarType.Float64, 1e-9)]
    [InlineData(ScalarType.Float32, 2e-6)]
    public void ASplineReproducesACubicWithItsDerivativeAndIsFlatOutside(ScalarType dtype, double tolerance)
    {
        static Tensor Cubic(Tensor r) => cat([r.pow(3) - 2 * r, 3 - r.pow(2)], 1);
        var spline = new RadialSpline(Cubic, rMax: 5.0, intervals: 20, dtype);
        double[] lengths = [0, 0.1, 1.2345, 2.5, 4.999, 5.0, 5.5, -0.5];
        var r = tensor(lengths, [lengths.Length, 1], ScalarType.Float64).to(dtype).requires_grad_();
        var y = spline.Forward(r);
        var weights = tensor(new[] { 0.7, -1.3 }, ScalarType.Float64).to(dtype);
        (y * weights).sum().backward();
        var clamped = tensor(lengths.Select(x => Math.Clamp(x, 0, 5)).ToArray(), [lengths.Length, 1], ScalarType.Float64);
        var expected = Cubic(clamped);
        var slope = (0.7 * (3 * clamped.pow(2) - 2) - 1.3 * (-2 * clamped)).squeeze(1) * (clamped == tensor(lengths).unsqueeze(1)).squeeze(1);
        double scale = expected.abs().max().item<double>();
        Assert.True((y.to(ScalarType.Float64) - expected).abs().max().item<double>() < tolerance * scale);
        Assert.True((r.grad!.to(ScalarType.Float64).squeeze(1) - slope).abs().max().item<double>() < tolerance * scale);
    }

    [Fact]
    public void SplinesAgreeWithTheExactNetworksAndConvergeAsTheFourthPower()
    {
        var exact = Exact.Value;
        var coarse = Errors(Evaluate(Model(256)), exact);
        var fine = Errors(Evaluate(Model(1024)), exact);
        output.WriteLine($"E = {exact.Energy:R} eV, |F|max = {exact.Forces!.Max(f => f.Length):G3} eV/Å, |σ|max = {exact.Stress!.Value.ToArray().Max(Math.Abs):G3} eV/Å³");
        output.WriteLine($"256 intervals:  energy {coarse.Energy:E2} relative, forces {coarse.Force:E2} eV/Å, stress {coarse.Stress:E2} eV/Å³");
        output.WriteLine($"1024 intervals: energy {fine.Energy:E2} relative, forces {fine.Force:E2} eV/Å, stress {fine.Stress:E2} eV/Å³");
        Assert.True(coarse.Energy < 5e-9 && coarse.Force < 3e-6 && coarse.Stress < 1e-8, $"256: {coarse}");
        // Four times the knots: the spline's error falls as Δ⁴ (values) and Δ³ (their derivative, in the forces).
        Assert.True(fine.Force * 5 < coarse.Force && fine.Stress * 5 < coarse.Stress && fine.Energy * 5 < coarse.Energy, $"256: {coarse}, 1024: {fine}");
    }

    [Fact]
    public void Float32SplinesAgreeWithTheExactNetworksToSinglePrecision()
    {
        var splined = Errors(Evaluate(Model(256, ScalarType.Float32)), Exact.Value);
        output.WriteLine($"float32, 256 intervals: energy {splined.Energy:E2} relative, forces {splined.Force:E2} eV/Å, stress {splined.Stress:E2} eV/Å³");
        Assert.True(splined.Energy < 1e-6 && splined.Force < 1e-5 && splined.Stress < 1e-7, $"{splined}");
    }

    [Fact]
    public void SplinedForcesAndStressAreDerivativesOfTheSplinedEnergy()
    {
        // The spline is C¹ and its reverse pass is its own derivative: the splined model is a potential in its own
        // right. (A small cell: every atom, every component.)
        var report = PotentialConformance.Check(Model(64), TestSystems.RattledSilicon(1, 5), displacement: 1e-4, strain: 1e-5);
        output.WriteLine(report.ToString());
        Assert.True(report.MaxForceError < 1e-8, report.ToString());
        Assert.True(report.MaxStressError < 1e-10, report.ToString());
        Assert.True(report.NetForce < 1e-10, report.ToString());
    }

    /// <summary>A real trained model (the MACE tutorial's mace01, H/C/O molecules, forces of a few eV/Å) on molecules
    /// of its test set.</summary>
    [SkippableFact]
    public void SplinesAgreeWithTheExactNetworksOfARealModel()
    {
        string file = RealModels.Require("mace-tutorial-solvent-xtb/mace01_swa.model");
        var frames = StructureFile.Read(RealModels.Require("mace-tutorial-solvent-xtb/reference_data/solvent_xtb_test.xyz")).Take(5).ToList();
        PotentialResult[] Run(int? points)
        {
            var potential = MacePotential.LoadModelFile(file, new MaceOptions { Device = "cpu", RadialSplinePoints = points });
            return frames.Select(f => potential.Compute(f, NeighborListBuilder.Build(f, potential.Cutoff, full: true), Quantities.EnergyAndForces)).ToArray();
        }
        var exact = Run(null);
        (double Energy, double Force, double Rms) Errors(int points)
        {
            var splined = Run(points);
            double energy = splined.Zip(exact, (a, b) => Math.Abs(a.Energy - b.Energy) / Math.Abs(b.Energy)).Max();
            var deviations = splined.Zip(exact, (a, b) => a.Forces!.Zip(b.Forces!, (p, q) => (p - q).Length)).SelectMany(d => d).ToArray();
            double rms = Math.Sqrt(deviations.Average(d => d * d));
            output.WriteLine($"mace01_swa, {points} intervals, {frames.Count} molecules of {frames[0].Count} atoms (|F|max {exact.Max(r => r.Forces!.Max(f => f.Length)):F2} eV/Å): " +
                $"energy {energy:E2} relative, |ΔF| max {deviations.Max():E2} eV/Å, rms {rms:E2} eV/Å");
            return (energy, deviations.Max(), rms);
        }
        var coarse = Errors(256);
        var fine = Errors(1024);
        Assert.True(coarse.Energy < 5e-9 && coarse.Force < 3e-4 && coarse.Rms < 6e-5, $"256: {coarse}");
        Assert.True(fine.Energy * 5 < coarse.Energy && fine.Force * 5 < coarse.Force, $"256: {coarse}, 1024: {fine}");
    }

    /// <summary>mace-torch's own MACE-MP-0 (medium) architecture, its weights perturbed so that every block matters
    /// (wigglier radial networks than trained ones), on its five fixture structures.</summary>
    [Fact]
    public void SplinesAgreeWithTheExactNetworksOfTheMp0Family()
    {
        var frames = MaceFamilyFixture.Frames("mp0");
        PotentialResult[] Run(int? points)
        {
            var potential = MaceFamilyFixture.Load("mp0", new MaceOptions { Device = "cpu", RadialSplinePoints = points });
            return frames.Select(f => potential.Compute(f, NeighborListBuilder.Build(f, potential.Cutoff, full: true),
                f.Pbc.AllPeriodic ? Quantities.All : Quantities.EnergyAndForces)).ToArray();
        }
        var exact = Run(null);
        var splined = Run(256);
        double energy = splined.Zip(exact, (a, b) => Math.Abs(a.Energy - b.Energy) / Math.Abs(b.Energy)).Max();
        double force = splined.Zip(exact, (a, b) => a.Forces!.Zip(b.Forces!, (p, q) => (p - q).Length).Max()).Max();
        double stress = splined.Zip(exact, (a, b) => a.Stress is { } s ? (s - b.Stress!.Value).ToArray().Max(Math.Abs) : 0).Max();
        output.WriteLine($"mp0 family, 256 intervals, {frames.Count} structures: energy {energy:E2} relative, |ΔF| max {force:E2} eV/Å, stress {stress:E2} eV/Å³");
        Assert.True(energy < 1e-7 && force < 3e-4 && stress < 1e-5, $"energy {energy:E2}, forces {force:E2}, stress {stress:E2}");
    }

    [Fact]
    public void TheAgnesiTransformIsRefused()
    {
        var e = Assert.Throws<MaceModelException>(() => MaceFamilyFixture.Load("mpa", new MaceOptions { Device = "cpu", RadialSplinePoints = 256 }));
        Assert.Contains("Agnesi", e.Message);
        Assert.Contains("radial_spline", e.Message);
        var fromSpec = Assert.Throws<InputException>(() => MaceSpec.TryParse($"mace:{MaceFamilyFixture.ModelFile("mpa")},device=cpu,radial_spline=256"));
        Assert.Contains("Agnesi", fromSpec.Message);
    }

    [Fact]
    public void TheSpecificationKeyIsReadAndBadValuesAreInputErrors()
    {
        var mace = Assert.IsType<MacePotential>(MaceSpec.TryParse($"mace:{MaceFamilyFixture.ModelFile("mp0")},device=cpu,radial_spline=256"));
        Assert.Equal(256, mace.Model.RadialSplinePoints);
        Assert.Null(Assert.IsType<MacePotential>(MaceSpec.TryParse($"mace:{MaceFamilyFixture.ModelFile("mp0")},device=cpu")).Model.RadialSplinePoints);
        foreach (var bad in new[] { "8", "0", "-256", "many", "256.5", "" })
        {
            var e = Assert.Throws<InputException>(() => MaceSpec.TryParse($"mace:{MaceFamilyFixture.ModelFile("mp0")},radial_spline={bad}"));
            Assert.Contains("radial_spline", e.Message);
        }
    }

    [Fact]
    public void TrainingRefusesSplines()
    {
        var e = Assert.Throws<MaceModelException>(() => new MaceModel(MaceTiming.MediumConfig, Weights.Value, TensorOptions.CpuFloat64,
            radialSplinePoints: 256, parameters: new Dictionary<string, Tensor>()));
        Assert.Contains("training", e.Message);
    }
}
