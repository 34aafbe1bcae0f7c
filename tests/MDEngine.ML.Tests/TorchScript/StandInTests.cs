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
/// Every adapter on a committed stand-in file with its family's forward signature, metadata and conventions: the
/// energy against an independent pair sum, forces and stress against finite differences, invariances, and a batch
/// against the same structures one by one. SevenNet's stand-in is float32 like SevenNet's deployments, so its
/// tolerances are those of single precision.
/// </summary>
public class StandInTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Files => new()
    {
        { "nequip_standin.pth", "nequip" },
        { "sevennet_standin.pt", "sevennet" },
        { "mace_standin.model", "mace" },
        { "mace_standin-lammps.pt", "mace-lammps" },
    };

    private static readonly Dictionary<string, GraphPotential> Loaded = [];

    internal static GraphPotential Potential(string file)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(file, out var potential))
                Loaded[file] = potential = new GraphPotential(TorchScriptLoader.Open(StandIn(file), settings: new TorchSettings { Device = "cpu" }));
            return potential;
        }
    }

    private static bool Single(GraphPotential p) => p.DType == TorchSharp.torch.ScalarType.Float32;

    [Theory]
    [MemberData(nameof(Files))]
    public void TheFamilyIsToldFromTheFile(string file, string kind)
    {
        var model = (TorchScriptModel)Potential(file).Model;
        Assert.Equal(kind, TorchScriptKinds.Name(model.Kind));
        Assert.Equal(4.0, model.Cutoff);
        Assert.Equal([8, 14], model.AtomicNumbers.Order());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EnergyEqualsAnIndependentPairSum(string file, string kind)
    {
        var potential = Potential(file);
        foreach (var s in new[] { StandInPairEnergy.PeriodicSilica(), StandInPairEnergy.Cluster() })
        {
            double expected = StandInPairEnergy.Energy(s), energy = Evaluate(potential, s).Energy;
            output.WriteLine($"{kind} {(s.Pbc.AllPeriodic ? "periodic" : "cluster")}: E = {energy:R}, pair sum {expected:R}");
            double tolerance = Single(potential) ? 2e-6 * Math.Max(1, Math.Abs(expected)) : 1e-11 * Math.Max(1, Math.Abs(expected));
            Assert.True(Math.Abs(energy - expected) <= tolerance, $"{kind}: {energy:R} vs {expected:R}");
        }
    }

    [Fact]
    public void PerEdgeTypeCutoffsDropTheEdgesPairNequipDrops()
    {
        var potential = Potential("nequip_standin_per_type_cutoff.pth");
        foreach (var s in new[] { StandInPairEnergy.PeriodicSilica(), StandInPairEnergy.Cluster() })
        {
            double expected = StandInPairEnergy.Energy(s, perTypeCutoff: true), energy = Evaluate(potential, s).Energy;
            output.WriteLine($"per-type cutoffs: E = {energy:R}, pair sum {expected:R} (all pairs within r_max: {StandInPairEnergy.Energy(s):R})");
            Assert.True(Math.Abs(energy - expected) <= 1e-11 * Math.Max(1, Math.Abs(expected)), $"{energy:R} vs {expected:R}");
            Assert.True(Math.Abs(StandInPairEnergy.Energy(s) - expected) > 1e-3, "the cutoffs should drop some pairs of this structure");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ForcesAndStressAreTheEnergysDerivatives(string file, string kind)
    {
        var potential = Potential(file);
        bool single = Single(potential);
        foreach (var s in new[] { StandInPairEnergy.PeriodicSilica(), StandInPairEnergy.Cluster() })
        {
            var report = single
                ? PotentialConformance.Check(potential, s, displacement: 2e-3, strain: 2e-4)
                : PotentialConformance.Check(potential, s);
            output.WriteLine($"{kind}: {report}");
            // float32: E ~ 10 eV is resolved to ~1e-6 eV, so a central difference over 4e-3 Å is good to ~1e-3 eV/Å.
            Assert.True(report.MaxForceError <= (single ? 5e-4 : 1e-6) * Math.Max(1, report.MaxForce), $"force error {report.MaxForceError:E2}");
            Assert.True(report.MaxStressError <= (single ? 5e-4 : 1e-7) * Math.Max(1, report.MaxStress), $"stress error {report.MaxStressError:E2}");
            Assert.True(report.AtomEnergySumError <= (single ? 1e-4 : 1e-10) * Math.Max(1, Math.Abs(report.Energy)));
            Assert.True(report.SkinEnergyDifference <= (single ? 1e-4 : 1e-10) * Math.Max(1, Math.Abs(report.Energy)));
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void RotationAndTranslationMoveTheResultsAlong(string file, string kind)
    {
        var potential = Potential(file);
        double scale = Single(potential) ? 1e-4 : 1e-10;
        var s = StandInPairEnergy.PeriodicSilica();
        var reference = Evaluate(potential, s);
        var rotation = RandomRotation(new Random(11));
        var moved = new Structure(s.Numbers, s.Positions.Select(p => rotation * p + new Vec3(0.3, -1.7, 2.2)).ToArray(),
            new Cell(s.Cell.Matrix * rotation.Transpose()), s.Pbc);
        var result = Evaluate(potential, moved);
        output.WriteLine($"{kind}: ΔE {result.Energy - reference.Energy:E2}");
        Assert.True(Math.Abs(result.Energy - reference.Energy) <= scale * Math.Max(1, Math.Abs(reference.Energy)));
        Assert.True(MaxDifference(reference.Forces!.Select(f => rotation * f).ToArray(), result.Forces!) <= scale * 10);
        Assert.True((rotation * reference.Stress!.Value * rotation.Transpose() - result.Stress!.Value).MaxAbs() <= scale);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void TheInvarianceKitPasses(string file, string kind)
    {
        var potential = Potential(file);
        foreach (var s in new[] { StandInPairEnergy.PeriodicSilica(), StandInPairEnergy.Cluster() })
        {
            var report = PotentialConformance.CheckInvariances(potential, s, seed: 4);
            double scale = Math.Max(1, Math.Abs(Evaluate(potential, s, Quantities.Energy).Energy));
            output.WriteLine($"{kind} {(s.Pbc.AllPeriodic ? "periodic" : "cluster")}: {report}");
            // float32: energies of ~10 eV carry ~1e-6 eV of round-off, forces of ~20 eV/Å ~1e-5 eV/Å
            Assert.True(report.Worst <= (Single(potential) ? 1e-4 : 1e-10) * scale, report.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ABatchGivesWhatTheStructuresGiveOneByOne(string file, string kind)
    {
        var potential = Potential(file);
        double scale = Single(potential) ? 1e-5 : 1e-12;
        var structures = new[] { StandInPairEnergy.PeriodicSilica(3), StandInPairEnergy.Cluster(), StandInPairEnergy.PeriodicSilica(8) };
        var lists = structures.Select(s => (NeighborList)NeighborListBuilder.Build(s, potential.Cutoff, full: true)).ToArray();
        var batch = potential.ComputeBatch(structures, lists, Quantities.All | Quantities.AtomEnergies);
        for (int b = 0; b < structures.Length; b++)
        {
            var single = potential.Compute(structures[b], lists[b], Quantities.All | Quantities.AtomEnergies);
            output.WriteLine($"{kind} [{b}]: ΔE {batch[b].Energy - single.Energy:E2}");
            Assert.True(Math.Abs(batch[b].Energy - single.Energy) <= scale * Math.Max(1, Math.Abs(single.Energy)));
            Assert.True(MaxDifference(batch[b].Forces!, single.Forces!) <= scale * 10);
            Assert.Equal(single.Stress is null, batch[b].Stress is null);
            if (single.Stress is { } stress) Assert.True((batch[b].Stress!.Value - stress).MaxAbs() <= scale);
            Assert.Equal(single.AtomEnergies!, batch[b].AtomEnergies!, (x, y) => Math.Abs(x - y) <= scale * 10);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EnergyAloneNeedsNoGradientFromTheCaller(string file, string kind)
    {
        var potential = Potential(file);
        var s = StandInPairEnergy.PeriodicSilica();
        var all = Evaluate(potential, s);
        var energyOnly = Evaluate(potential, s, Quantities.Energy);
        output.WriteLine($"{kind}: {energyOnly.Energy:R}");
        Assert.Equal(all.Energy, energyOnly.Energy);
        Assert.Null(energyOnly.Forces);
    }
}
