using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.ML.Graphs;
using MDEngine.ML.Tests.Mace;
using MDEngine.ML.Tests.TensorNet;
using MDEngine.ML.Tests.TorchScript;
using MDEngine.Potentials;
using MDEngine.Structures;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests;

/// <summary>
/// The conformance kit (<see cref="PotentialConformance"/>) over every format the command line registers, classical
/// and ML alike: forces and stress against finite differences, per-atom energies against the total, a skinned
/// neighbor list against a tight one, and invariance under rotation, reflection, translation, permutation, a change
/// of periodic image, a doubled supercell and batching. A format registered without a case here fails
/// <see cref="EveryRegisteredFormatHasACase"/>; a case whose data are absent (a real model outside the repository) is
/// skipped, naming what is missing.
/// </summary>
public class RegisteredPotentialsConformanceTests(ITestOutputHelper output)
{
    private static string Repo(string relative) => Path.Combine(RealModels.RepositoryRoot(), relative);

    /// <summary>A structure moved off its lattice sites (deterministically), so that forces and stress are not zero
    /// by symmetry.</summary>
    private static Structure Rattled(Structure s, double amplitude = 0.05, int seed = 7)
    {
        var rng = new Random(seed);
        var copy = s.Clone();
        copy.SetPositions(s.Positions.Select(r => r + amplitude * new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray());
        return copy;
    }

    private static Structure Read(string relative) => StructureFile.Read(Repo(relative))[0];

    /// <summary>Each format's case: its specification and a structure it covers, or why it cannot run here.</summary>
    private static (string? Spec, Func<Structure>? Structure, string? Missing) Case(string format) => format switch
    {
        "eam" => (Repo("potentials/Cu_Zhou04.eam.alloy"), () => Rattled(Read("structures/Cu_vacancy.extxyz")), null),
        "sw" => (Repo("potentials/Si_StillingerWeber85.sw"), () => Rattled(Read("structures/Si_diamond.cif"), 0.1), null),
        "tersoff" => (Repo("tests/MDEngine.Tests/data/potentials/lammps/Si.tersoff"), () => Rattled(Read("structures/Si_diamond.cif"), 0.1), null),
        "lj" => ("lj:epsilon=0.4,sigma=2.3,cutoff=5.5", () => Rattled(Read("structures/Cu_vacancy.extxyz")), null),
        "morse" => ("morse:D=0.3429,alpha=1.3588,r0=2.866,cutoff=6.5", () => Rattled(Read("structures/Cu_vacancy.extxyz")), null),
        "mace" => ($"mace:{MaceFixture.ModelJson},dtype=float64", () => MaceFixture.Frames[2].Structure, null),
        "torchscript" => ($"torchscript:{TorchScriptData.StandIn("nequip_standin.pth")},device=cpu", () => StandInPairEnergy.PeriodicSilica(), null),
        "tensornet" => TensorNetFixture.Available
            ? ($"tensornet:{TensorNetFixture.Directory},dtype=float64", () => Rattled(Read("structures/Si_diamond.cif"), 0.1), null)
            : (null, null, $"the TensorNet model is not in {TensorNetFixture.Directory}"),
        _ => (null, null, null),
    };

    public static TheoryData<string> Formats() => [.. MlPotentials.Registry().Formats.Select(f => f.Name)];

    [Fact]
    public void EveryRegisteredFormatHasACase()
    {
        foreach (var format in MlPotentials.Registry().Formats)
        {
            var (spec, _, missing) = Case(format.Name);
            Assert.True(spec is not null || missing is not null, $"no conformance case for the registered format '{format.Name}'");
        }
    }

    [SkippableTheory, MemberData(nameof(Formats))]
    public void PassesTheConformanceKit(string format)
    {
        var (spec, structure, missing) = Case(format);
        Skip.If(spec is null, missing);
        var potential = MlPotentials.Registry().Parse(spec!);
        var s = structure!();
        // A float32 model resolves energies of ~10 eV to ~1e-6 eV: its differences need longer steps and looser bounds.
        bool single = potential is GraphPotential { DType: TorchSharp.torch.ScalarType.Float32 };
        double loose = single ? 1e-4 : 1e-9;

        var report = single
            ? PotentialConformance.Check(potential, s, displacement: 2e-3, strain: 2e-4, atoms: [0, 1, s.Count - 1])
            : PotentialConformance.Check(potential, s, atoms: [0, 1, s.Count - 1]);
        output.WriteLine($"{format}: {report}");
        double scale = Math.Max(1, Math.Abs(report.Energy));
        Assert.True(report.MaxForce > 1e-3, $"{format}: the structure should feel forces ({report})");
        Assert.True(report.MaxForceError < (single ? 5e-4 : 1e-6) * Math.Max(1, report.MaxForce), $"{format}: forces ({report})");
        Assert.True(report.MaxStressError < (single ? 5e-4 : 1e-6) * Math.Max(1, report.MaxStress), $"{format}: stress ({report})");
        Assert.True(report.AtomEnergySumError < loose * scale, $"{format}: per-atom energies ({report})");
        Assert.True(report.SkinEnergyDifference < loose * scale && report.SkinForceDifference < (single ? 1e-4 : 1e-9), $"{format}: skin ({report})");

        var invariance = PotentialConformance.CheckInvariances(potential, s, seed: 5);
        output.WriteLine($"{format}: {invariance}");
        Assert.True(invariance.Worst < loose * scale, $"{format}: invariance ({invariance})");
        Assert.All(new[] { invariance.Rotation, invariance.Translation, invariance.Permutation, invariance.ImageChange, invariance.Supercell, invariance.Batch },
            v => Assert.True(double.IsFinite(v), $"{format}: every check applies to a periodic structure ({invariance})"));
    }
}
