using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.TensorNet;

/// <summary>
/// The conformance kit on the real TensorNet weights (float64): forces and stress against finite differences,
/// rotations and reflections, permutations, batches, and slabs with their in-plane periodic images.
/// </summary>
public class TensorNetPhysicsTests(ITestOutputHelper output)
{
    private static Potential Potential => TensorNetFixture.Float64;

    private static PotentialResult Evaluate(Structure s) =>
        Potential.Compute(s, NeighborListBuilder.Build(s, Potential.Cutoff, full: true), Quantities.All);

    private static Structure With(Structure s, Vec3[] positions, Mat3? cell = null, int[]? numbers = null, Pbc? pbc = null) =>
        new(numbers ?? s.Numbers, positions, cell is null ? s.Cell : new Cell(cell.Value), pbc ?? s.Pbc);

    private static double MaxDifference(Vec3[] a, Vec3[] b) => a.Zip(b, (p, q) => (p - q).Length).Max();

    [SkippableTheory]
    [InlineData("lifepo3_random_triclinic", null)]
    [InlineData("srtio3_strained", null)]
    [InlineData("cu111_slab_2d", new[] { 0, 7, 20, 35 })]
    [InlineData("h2o_molecule", null)]
    public void ForcesAndStressAreTheEnergyDerivatives(string name, int[]? atoms)
    {
        TensorNetFixture.RequireModel();
        var s = TensorNetFixture.Reference(name).Structure;
        var report = PotentialConformance.Check(Potential, s, displacement: 1e-4, strain: 1e-5, atoms: atoms);
        output.WriteLine($"{name}: {report}");
        // Central differences with h = 1e-4 Å carry an O(h²) error of ~1e-8 eV/Å on these forces.
        Assert.True(report.MaxForceError < 1e-6 * Math.Max(1, report.MaxForce), $"force error {report.MaxForceError:E2}");
        Assert.True(report.MaxStressError < 1e-7, $"stress error {report.MaxStressError:E2}");
        Assert.True(report.AtomEnergySumError < 1e-10 * Math.Abs(report.Energy));
        Assert.True(report.NetForce < 1e-10, $"net force {report.NetForce:E2}");
        Assert.True(report.SkinEnergyDifference < 1e-10 * Math.Abs(report.Energy) && report.SkinForceDifference < 1e-10);
    }

    [SkippableTheory]
    [InlineData("lifepo3_random_triclinic", false)]
    [InlineData("lifepo3_random_triclinic", true)]
    [InlineData("h2o_molecule", true)]
    [InlineData("cu111_slab_2d", true)]
    public void EnergyIsInvariantAndForcesAndStressFollowRotationsAndReflections(string name, bool reflect)
    {
        TensorNetFixture.RequireModel();
        var s = TensorNetFixture.Reference(name).Structure;
        var reference = Evaluate(s);
        var rng = new Random(name.Length);
        // A random rotation from a unit quaternion, times −1 for an improper one (TensorNet's O(3) product makes the
        // energy invariant under reflections too).
        double a = rng.NextDouble() - 0.5, b = rng.NextDouble() - 0.5, c = rng.NextDouble() - 0.5, d = rng.NextDouble() - 0.5;
        double n = Math.Sqrt(a * a + b * b + c * c + d * d); a /= n; b /= n; c /= n; d /= n;
        var q = new Mat3(
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d);
        if (reflect) q = -1.0 * q;
        // Column vectors: v' = Q v; lattice vectors (rows) alike, cell' = cell Qᵀ.
        var moved = Evaluate(With(s, s.Positions.Select(p => q * p).ToArray(), s.Cell.Matrix * q.Transpose()));
        Assert.Equal(reference.Energy, moved.Energy, 1e-10 * Math.Abs(reference.Energy));
        Assert.True(MaxDifference(reference.Forces!.Select(f => q * f).ToArray(), moved.Forces!) < 1e-10);
        if (reference.Stress is { } stress)
            Assert.True((q * stress * q.Transpose() - moved.Stress!.Value).MaxAbs() < 1e-12);
    }

    [SkippableFact]
    public void PermutationTranslationAndPeriodicImageChangeNothing()
    {
        TensorNetFixture.RequireModel();
        var s = TensorNetFixture.Reference("nacl_2x2x2_rattled").Structure;
        var reference = Evaluate(s);
        var order = Enumerable.Range(0, s.Count).OrderBy(i => (i * 37) % s.Count).ToArray();
        var permuted = Evaluate(With(s, order.Select(i => s.Positions[i]).ToArray(), numbers: order.Select(i => s.Numbers[i]).ToArray()));
        Assert.Equal(reference.Energy, permuted.Energy, 1e-10 * Math.Abs(reference.Energy));
        Assert.True(MaxDifference(order.Select(i => reference.Forces![i]).ToArray(), permuted.Forces!) < 1e-10);
        Assert.True((reference.Stress!.Value - permuted.Stress!.Value).MaxAbs() < 1e-12);

        var shifted = s.Positions.Select(p => p + new Vec3(0.31, -2.2, 1.7)).ToArray();
        shifted[5] += s.Cell.A - 2 * s.Cell.C;
        var moved = Evaluate(With(s, shifted));
        Assert.Equal(reference.Energy, moved.Energy, 1e-10 * Math.Abs(reference.Energy));
        Assert.True(MaxDifference(reference.Forces!, moved.Forces!) < 1e-10);
    }

    [SkippableFact]
    public void BatchEqualsOneByOne()
    {
        TensorNetFixture.RequireModel();
        var structures = TensorNetFixture.References.Select(r => r.Structure).ToArray();
        var lists = structures.Select(s => NeighborListBuilder.Build(s, Potential.Cutoff, full: true)).ToArray();
        var batch = Potential.ComputeBatch(structures, lists, Quantities.All);
        for (int k = 0; k < structures.Length; k++)
        {
            var single = Potential.Compute(structures[k], lists[k], Quantities.All);
            Assert.Equal(single.Energy, batch[k].Energy, 1e-12 * Math.Abs(single.Energy));
            Assert.True(MaxDifference(single.Forces!, batch[k].Forces!) < 1e-12);
            Assert.Equal(single.Stress is null, batch[k].Stress is null);
            if (single.Stress is { } stress) Assert.True((stress - batch[k].Stress!.Value).MaxAbs() < 1e-14);
        }
    }

    [SkippableFact]
    public void IsolatedAtomFeelsNoForceAndIsTheSameAloneAndInABatch()
    {
        TensorNetFixture.RequireModel();
        // No edge: the node tensors stay zero and the energy depends on the element only, the same for the atom alone
        // and inside a batch with a bonded structure.
        var atom = new Structure([29], [new Vec3(1, 2, 3)], Cell.Cubic(20), new Pbc(false, false, false));
        var alone = Evaluate(atom);
        Assert.True(double.IsFinite(alone.Energy));
        Assert.Equal(Vec3.Zero, alone.Forces![0]);
        var water = TensorNetFixture.Reference("h2o_molecule").Structure;
        var structures = new[] { water, atom };
        var batch = Potential.ComputeBatch(structures, structures.Select(s => NeighborListBuilder.Build(s, Potential.Cutoff, full: true)).ToArray(), Quantities.All);
        Assert.Equal(alone.Energy, batch[1].Energy, 1e-12);
        Assert.Equal(Evaluate(water).Energy, batch[0].Energy, 1e-12);
    }

    [SkippableFact]
    public void SlabKeepsItsInPlanePeriodicImages()
    {
        TensorNetFixture.RequireModel();
        // matgl evaluates anything not periodic in all three directions as a molecule; here the slab keeps its
        // periodic images in x and y: the same energy as the 3-periodic cell with vacuum (no edge crosses z), and
        // far from the isolated cluster the molecule treatment gives.
        var slab = TensorNetFixture.Reference("cu111_slab_2d").Structure;
        Assert.Equal(new Pbc(true, true, false), slab.Pbc);
        var result = Evaluate(slab);
        var periodic = Evaluate(With(slab, slab.Positions, pbc: new Pbc(true, true, true)));
        var cluster = Evaluate(With(slab, slab.Positions, pbc: new Pbc(false, false, false)));
        Assert.Equal(periodic.Energy, result.Energy, 1e-10 * Math.Abs(result.Energy));
        Assert.True(MaxDifference(periodic.Forces!, result.Forces!) < 1e-10);
        Assert.Null(result.Stress);
        output.WriteLine($"slab {result.Energy:F6} eV, as a cluster {cluster.Energy:F6} eV");
        Assert.True(cluster.Energy - result.Energy > 1.0, "the cluster loses the in-plane bonds");
    }
}
