using MDEngine.Geometry;
using MDEngine.ML.Graphs;
using MDEngine.ML.TorchScript;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using Xunit.Abstractions;
using static MDEngine.ML.Tests.TorchScript.TorchScriptData;

namespace MDEngine.ML.Tests.TorchScript;

/// <summary>
/// The conformance kit on the public SevenNet and MACE files: forces and stress against finite differences of the
/// energy, skin independence, rotation and translation, and a batch against the structures one by one. SevenNet's
/// file is float32: E ≈ −2775 eV is resolved to a few 1e-4 eV, so its finite differences use 0.02 Å steps and are good
/// to a few 1e-2 eV/Å (Python torch's own check on this file, in its reference README, agrees to the same level).
/// </summary>
public class RealModelConformanceTests(ITestOutputHelper output)
{

    private static (GraphPotential, Structure) SevenNet()
    {
        string model = RealModels.Require(SevenNetFile), reference = RealModels.Require(SevenNetReference);
        var npz = Npz.Read(reference);
        var s = Structure.FromSymbols(npz["symbols"].Strings!, Structure.ToVec3(npz["in_pos"].Data), new Cell(Mat3.FromArray(npz["in_cell_lattice_vectors"].Data)), Pbc.All);
        return ((GraphPotential)TorchScriptSpec.TryParse(model + ",device=cpu")!, s);
    }

    /// <summary>The MACE reference molecule, and the same molecule in a small triclinic periodic cell where it meets
    /// its images (so the stress is not zero).</summary>
    private static (GraphPotential, Structure Molecule, Structure Crystal) Mace()
    {
        string model = RealModels.Require(MaceFile), reference = RealModels.Require(MaceReference);
        var npz = Npz.Read(reference);
        var numbers = npz["atomic_numbers"].Longs.Select(z => (int)z).ToArray();
        var positions = Structure.ToVec3(npz["in_positions"].Data);
        var molecule = new Structure(numbers, positions);
        var crystal = new Structure(numbers, positions, new Cell(new Mat3(7.2, 0, 0, 0.8, 7.0, 0, -0.5, 0.4, 6.8)), Pbc.All);
        return ((GraphPotential)TorchScriptSpec.TryParse(model + ",device=cpu")!, molecule, crystal);
    }

    [SkippableFact]
    public void SevenNetForcesAndStressAreTheEnergysDerivatives()
    {
        var (potential, s) = SevenNet();
        var report = PotentialConformance.Check(potential, s, displacement: 2e-2, strain: 2e-3, atoms: [0, 17, 50, 95]);
        output.WriteLine($"SevenNet HfO2 (float32): {report}");
        // Round-off bound: a few float32 spacings of E (~6e-4 eV) over 2h = 0.04 Å. (The error grows as 1/h below
        // this step: 0.04, 0.16, 0.34, 0.63 eV/Å at h = 0.02, 0.005, 0.002, 0.001 Å, the signature of round-off.)
        Assert.True(report.MaxForceError <= 6e-2, $"force error {report.MaxForceError:E2}");
        Assert.True(report.MaxStressError <= 5e-4, $"stress error {report.MaxStressError:E2}");
        Assert.True(report.SkinEnergyDifference <= 2e-3 && report.SkinForceDifference <= 1e-4);
    }

    [SkippableFact]
    public void MaceForcesAndStressAreTheEnergysDerivatives()
    {
        var (potential, molecule, crystal) = Mace();
        foreach (var s in new[] { molecule, crystal })
        {
            var report = PotentialConformance.Check(potential, s);
            output.WriteLine($"MACE (float64) {(s.Pbc.AllPeriodic ? "periodic" : "molecule")}: {report}");
            Assert.True(report.MaxForceError <= 1e-6, $"force error {report.MaxForceError:E2}");
            Assert.True(report.MaxStressError <= 1e-7, $"stress error {report.MaxStressError:E2}");
            Assert.True(report.SkinEnergyDifference <= 1e-10 && report.SkinForceDifference <= 1e-10);
            if (s.Pbc.AllPeriodic) Assert.True(report.MaxStress > 1e-4, "the periodic cell should be under stress");
        }
    }

    [SkippableFact]
    public void RealModelsAreInvariantUnderRotationAndTranslation()
    {
        var rotation = RandomRotation(new Random(5));
        var shift = new Vec3(0.7, -0.3, 1.9);
        foreach (var (name, potential, s, scale) in Cases())
        {
            var reference = Evaluate(potential, s);
            var moved = new Structure(s.Numbers, s.Positions.Select(p => rotation * p + shift).ToArray(),
                s.Pbc.AllPeriodic ? new Cell(s.Cell.Matrix * rotation.Transpose()) : s.Cell, s.Pbc);
            var result = Evaluate(potential, moved);
            double forceError = MaxDifference(reference.Forces!.Select(f => rotation * f).ToArray(), result.Forces!);
            output.WriteLine($"{name}: ΔE {result.Energy - reference.Energy:E2}, max|ΔF| {forceError:E2}");
            Assert.True(Math.Abs(result.Energy - reference.Energy) <= scale * Math.Abs(reference.Energy));
            Assert.True(forceError <= scale * 1e3);
            if (reference.Stress is { } stress) Assert.True((rotation * stress * rotation.Transpose() - result.Stress!.Value).MaxAbs() <= scale * 10);
        }
    }

    [SkippableFact]
    public void RealModelsPassTheInvarianceKit()
    {
        foreach (var (name, potential, s, scale) in Cases())
        {
            var report = PotentialConformance.CheckInvariances(potential, s, seed: 2);
            output.WriteLine($"{name}: {report}");
            Assert.True(report.Worst <= scale * 1e3 * Math.Max(1, Math.Abs(Evaluate(potential, s, Quantities.Energy).Energy)), report.ToString());
        }
    }

    [SkippableFact]
    public void RealModelsGiveInABatchWhatTheyGiveOneByOne()
    {
        foreach (var (name, potential, s, scale) in Cases())
        {
            var rng = new Random(9);
            var rattled = new Structure(s.Numbers, s.Positions.Select(p => p + 0.05 * new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray(), s.Cell, s.Pbc);
            Structure[] structures = [s, rattled];
            var lists = structures.Select(x => (NeighborList)NeighborListBuilder.Build(x, potential.Cutoff, full: true)).ToArray();
            var batch = potential.ComputeBatch(structures, lists, Quantities.All);
            for (int b = 0; b < 2; b++)
            {
                var single = potential.Compute(structures[b], lists[b], Quantities.All);
                output.WriteLine($"{name} [{b}]: ΔE {batch[b].Energy - single.Energy:E2}, max|ΔF| {MaxDifference(batch[b].Forces!, single.Forces!):E2}");
                Assert.True(Math.Abs(batch[b].Energy - single.Energy) <= scale * Math.Abs(single.Energy));
                Assert.True(MaxDifference(batch[b].Forces!, single.Forces!) <= scale * 1e3);
            }
        }
    }

    /// <summary>Both public models (the test is skipped when either is absent).</summary>
    private static List<(string, GraphPotential, Structure, double)> Cases()
    {
        var (sevenNet, hfo2) = SevenNet();
        var (mace, molecule, crystal) = Mace();
        return [("SevenNet HfO2", sevenNet, hfo2, 1e-6), ("MACE molecule", mace, molecule, 1e-13), ("MACE periodic", mace, crystal, 1e-13)];
    }
}
