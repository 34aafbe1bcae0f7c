using MDEngine.Geometry;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.Mace;

/// <summary>Symmetries and consistency of the MACE fixture model, independent of the reference numbers.</summary>
public class MacePhysicsTests
{
    private static MacePotential Potential => MaceFixture.Potential;

    private static PotentialResult Evaluate(Structure s, Quantities what = Quantities.All) =>
        Potential.Compute(s, NeighborListBuilder.Build(s, Potential.Cutoff, full: true), what);

    private static Structure With(Structure s, Vec3[] positions, Mat3? cell = null, int[]? numbers = null) =>
        new(numbers ?? s.Numbers, positions, cell is null ? s.Cell : new Cell(cell.Value), s.Pbc);

    private static Mat3 RandomRotation(Random rng)
    {
        // Rotation from a random unit quaternion.
        double a = rng.NextDouble() - 0.5, b = rng.NextDouble() - 0.5, c = rng.NextDouble() - 0.5, d = rng.NextDouble() - 0.5;
        double n = Math.Sqrt(a * a + b * b + c * c + d * d); a /= n; b /= n; c /= n; d /= n;
        return new Mat3(
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d);
    }

    private static double MaxDifference(Vec3[] a, Vec3[] b) => a.Zip(b, (p, q) => (p - q).Length).Max();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EnergyIsInvariantAndForcesAndStressRotateWithTheStructure(int frameIndex)
    {
        var s = MaceFixture.Frames[frameIndex].Structure;
        var reference = Evaluate(s);
        var rng = new Random(frameIndex);
        var rotation = RandomRotation(rng);
        // Column-vector convention: v' = R v; lattice vectors (rows) rotate alike, so cell' = cell Rᵀ.
        var rotated = With(s, s.Positions.Select(p => rotation * p).ToArray(), s.Cell.Matrix * rotation.Transpose());
        var result = Evaluate(rotated);
        Assert.Equal(reference.Energy, result.Energy, 1e-10 * Math.Abs(reference.Energy));
        Assert.True(MaxDifference(reference.Forces!.Select(f => rotation * f).ToArray(), result.Forces!) < 1e-10);
        if (reference.Stress is { } stress)
            Assert.True((rotation * stress * rotation.Transpose() - result.Stress!.Value).MaxAbs() < 1e-11);
    }

    [Fact]
    public void TranslationPermutationAndPeriodicImageChangeNothing()
    {
        var s = MaceFixture.Frames[1].Structure;
        var reference = Evaluate(s);
        var shift = new Vec3(0.37, -1.21, 2.05);
        var translated = Evaluate(With(s, s.Positions.Select(p => p + shift).ToArray()));
        Assert.Equal(reference.Energy, translated.Energy, 1e-10 * Math.Abs(reference.Energy));
        Assert.True(MaxDifference(reference.Forces!, translated.Forces!) < 1e-10);

        var order = Enumerable.Range(0, s.Count).OrderBy(i => (i * 7919) % s.Count).ToArray();
        var permuted = Evaluate(With(s, order.Select(i => s.Positions[i]).ToArray(), numbers: order.Select(i => s.Numbers[i]).ToArray()));
        Assert.Equal(reference.Energy, permuted.Energy, 1e-10 * Math.Abs(reference.Energy));
        Assert.True(MaxDifference(order.Select(i => reference.Forces![i]).ToArray(), permuted.Forces!) < 1e-10);

        var imaged = s.Positions.ToArray();
        imaged[3] += s.Cell.A - 2 * s.Cell.C;
        var moved = Evaluate(With(s, imaged));
        Assert.Equal(reference.Energy, moved.Energy, 1e-10 * Math.Abs(reference.Energy));
        Assert.True(MaxDifference(reference.Forces!, moved.Forces!) < 1e-10);
        Assert.True((reference.Stress!.Value - moved.Stress!.Value).MaxAbs() < 1e-12);
    }

    [Fact]
    public void SupercellEnergyIsTheMultipleAndForcesRepeat()
    {
        var s = MaceFixture.Frames[2].Structure;
        var reference = Evaluate(s);
        var supercell = Supercell.Repeat(s, 2, 1, 1);
        var result = Evaluate(supercell);
        Assert.Equal(2 * reference.Energy, result.Energy, 1e-10 * Math.Abs(reference.Energy));
        Assert.True((reference.Stress!.Value - result.Stress!.Value).MaxAbs() < 1e-11);
        var atomEnergies = Evaluate(supercell, Quantities.All | Quantities.AtomEnergies).AtomEnergies!;
        Assert.Equal(result.Energy, atomEnergies.Sum(), 1e-10);
    }

    [Fact]
    public void ForcesAndStressAreDerivativesOfTheEnergy()
    {
        var s = MaceFixture.Frames[2].Structure;
        var reference = Evaluate(s);
        const double h = 1e-5;
        for (int atom = 0; atom < s.Count; atom += 2)
            for (int axis = 0; axis < 3; axis++)
            {
                double Energy(double delta)
                {
                    var p = s.Positions.ToArray();
                    var d = new Vec3(); d[axis] = delta; p[atom] += d;
                    return Evaluate(With(s, p), Quantities.Energy).Energy;
                }
                double numeric = -(Energy(h) - Energy(-h)) / (2 * h);
                Assert.Equal(numeric, reference.Forces![atom][axis], 1e-7);
            }
        // σ_ab = (1/V) ∂E/∂ε_ab under r → r(1+ε), cell → cell(1+ε) (row vectors).
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
            {
                double Energy(double delta)
                {
                    var strain = Mat3.Identity; strain[a, b] += delta;
                    return Evaluate(With(s, s.Positions.Select(p => p * strain).ToArray(), s.Cell.Matrix * strain), Quantities.Energy).Energy;
                }
                double numeric = (Energy(h) - Energy(-h)) / (2 * h) / s.Volume;
                double symmetric = 0.5 * (reference.Stress!.Value[a, b] + reference.Stress!.Value[b, a]);
                Assert.Equal(numeric, symmetric, 1e-8);
            }
    }

    [Fact]
    public void BatchEqualsOneByOne()
    {
        var frames = MaceFixture.Frames.Select(f => f.Structure).ToArray();
        var lists = frames.Select(f => NeighborListBuilder.Build(f, Potential.Cutoff, full: true)).ToArray();
        var batch = Potential.ComputeBatch(frames, lists, Quantities.All);
        for (int b = 0; b < frames.Length; b++)
        {
            var single = Potential.Compute(frames[b], lists[b], Quantities.All);
            Assert.Equal(single.Energy, batch[b].Energy, 1e-11 * Math.Abs(single.Energy));
            Assert.True(MaxDifference(single.Forces!, batch[b].Forces!) < 1e-12);
            Assert.Equal(single.Stress is null, batch[b].Stress is null);
            if (single.Stress is { } st) Assert.True((st - batch[b].Stress!.Value).MaxAbs() < 1e-13);
        }
    }
}
