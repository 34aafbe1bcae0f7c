using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.TensorNet;

/// <summary>
/// Energy, forces and stress of the six reference structures against matgl's own code (reference.npz): float64
/// against its float64 run to round-off, float32 against its float32 run to float32 round-off.
/// </summary>
public class TensorNetReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => new() { "si_diamond_rattled", "nacl_2x2x2_rattled", "srtio3_strained", "lifepo3_random_triclinic", "cu111_slab_2d", "h2o_molecule" };

    private static PotentialResult Evaluate(Potential potential, Structure s) =>
        potential.Compute(s, NeighborListBuilder.Build(s, potential.Cutoff, full: true), Quantities.All);

    /// <summary>The slab as a 3-periodic cell: with its vacuum no edge crosses z, so the graph is the same, and matgl's
    /// reference (evaluated that way) has a stress to compare with.</summary>
    private static Structure FullyPeriodic(Structure s) => new(s.Numbers, s.Positions, s.Cell, new Pbc(true, true, true));

    private static double MaxDifference(Vec3[] a, Vec3[] b) => a.Zip(b, (p, q) => Math.Max(Math.Abs(p.X - q.X), Math.Max(Math.Abs(p.Y - q.Y), Math.Abs(p.Z - q.Z)))).Max();

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Float64MatchesMatglFloat64(string name)
    {
        TensorNetFixture.RequireModel();
        var reference = TensorNetFixture.Reference(name);
        var potential = TensorNetFixture.Float64;
        var s = reference.Structure;
        var graph = potential.BuildGraph([s], [NeighborListBuilder.Build(s, potential.Cutoff, full: true)]);
        Assert.Equal(reference.Edges, graph.EdgeCount);
        var result = Evaluate(potential, s);
        double energyError = Math.Abs(result.Energy - reference.Energy64) / Math.Abs(reference.Energy64);
        double forceError = MaxDifference(result.Forces!, reference.Forces64);
        double stressError = s.Pbc.AllPeriodic || name.Contains("slab")
            ? (Evaluate(potential, FullyPeriodic(s)).Stress!.Value - reference.Stress64).MaxAbs() : 0;
        output.WriteLine($"{name}: |ΔE|/|E| = {energyError:E2}, max |ΔF| = {forceError:E2} eV/Å, max |Δσ| = {stressError:E2} eV/Å³");
        Assert.True(energyError < 1e-10, $"energy {result.Energy:R} vs {reference.Energy64:R}");
        Assert.True(forceError < 1e-9, $"forces differ by {forceError:E2}");
        Assert.True(stressError < 1e-10, $"stress differs by {stressError:E2}");
        if (!s.Pbc.AllPeriodic) Assert.Null(result.Stress);
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Float32MatchesMatglFloat32(string name)
    {
        TensorNetFixture.RequireModel();
        var reference = TensorNetFixture.Reference(name);
        var potential = TensorNetFixture.Float32;
        var s = reference.Structure;
        var result = Evaluate(potential, s);
        double energyError = Math.Abs(result.Energy - reference.Energy) / Math.Abs(reference.Energy);
        double forceError = MaxDifference(result.Forces!, reference.Forces);
        double stressError = s.Pbc.AllPeriodic || name.Contains("slab")
            ? (Evaluate(potential, FullyPeriodic(s)).Stress!.Value - reference.Stress).MaxAbs() : 0;
        output.WriteLine($"{name}: |ΔE|/|E| = {energyError:E2}, max |ΔF| = {forceError:E2} eV/Å, max |Δσ| = {stressError:E2} eV/Å³");
        // float32 carries 7 digits; sums over 10³ edges and two blocks lose one or two of them.
        Assert.True(energyError < 2e-6, $"energy {result.Energy:R} vs {reference.Energy:R}");
        Assert.True(forceError < 5e-5, $"forces differ by {forceError:E2}");
        Assert.True(stressError < 5e-6, $"stress differs by {stressError:E2}");
    }
}
