using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Potentials;

/// <summary>The vectorized pair loop (four pairs per iteration, used by <see cref="LennardJones"/>) gives what the
/// scalar loop gives: the same Lennard-Jones written as a plain <see cref="PairPotential"/> runs the scalar loop.
/// Covered: two species (per-lane parameter lookup), partial vectors at the end of every atom's pairs, half and
/// full lists, per-atom energies, stress, and a cell smaller than the cutoff, where one neighbor appears several
/// times in the same vector (through different images).</summary>
public class VectorizedPairSumTests
{
    private static readonly Dictionary<(int, int), LennardJones.Parameters> Table = new()
    {
        [(18, 18)] = new(0.0104, 3.40),
        [(18, 36)] = new(0.0140, 3.50),
        [(36, 36)] = new(0.0170, 3.65, 7.5),
    };

    /// <summary>The same table through φ(r) one pair at a time.</summary>
    private sealed class ScalarLennardJones(double cutoff) : PairPotential
    {
        public override string Name => "scalar lj";
        public override double Cutoff => cutoff;

        protected override (double Energy, double Derivative) Pair(int zi, int zj, double r)
        {
            var p = Table.TryGetValue((zi, zj), out var q) ? q : Table[(zj, zi)];
            if (r >= (p.Cutoff ?? cutoff)) return (0, 0);
            double s6 = Math.Pow(p.Sigma / r, 6);
            return (4 * p.Epsilon * (s6 * s6 - s6), 4 * p.Epsilon * (-12 * s6 * s6 + 6 * s6) / r);
        }
    }

    public static IEnumerable<object[]> Structures()
    {
        var rng = new Random(7);
        Vec3 Jitter(double amount) => new(amount * (rng.NextDouble() - .5), amount * (rng.NextDouble() - .5), amount * (rng.NextDouble() - .5));

        // A rattled 3×3×3 fcc supercell of Ar with Kr substituted at random.
        var basis = new[] { new Vec3(0, 0, 0), new Vec3(0, .5, .5), new Vec3(.5, 0, .5), new Vec3(.5, .5, 0) };
        var positions = new List<Vec3>();
        var numbers = new List<int>();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++)
                    foreach (var b in basis) { positions.Add(5.4 * new Vec3(i + b.X, j + b.Y, k + b.Z) + Jitter(0.4)); numbers.Add(rng.Next(3) == 0 ? 36 : 18); }
        yield return ["rattled binary supercell", new Structure(numbers.ToArray(), positions, Cell.Cubic(16.2), Pbc.All)];

        // Three atoms in a triclinic cell far smaller than the cutoff: each neighbor appears through many images.
        var cell = new Mat3(5.9, 0, 0, 1.1, 5.6, 0, 0.7, -0.9, 6.2);
        yield return ["small triclinic cell", new Structure([18, 36, 18], [new Vec3(0.1, 0.2, 0.3), new Vec3(2.6, 2.5, 2.9), new Vec3(4.3, 4.8, 5.6)], new Cell(cell), Pbc.All)];
    }

    [Theory, MemberData(nameof(Structures))]
    public void MatchesTheScalarLoop(string label, Structure s)
    {
        const double cutoff = 8.5;
        var vectorized = LennardJones.FromPairs(Table, cutoff);
        var scalar = new ScalarLennardJones(cutoff);
        foreach (bool full in new[] { false, true })
        {
            // A skin puts pairs beyond the cutoff in the list, which both loops must skip.
            var list = NeighborListBuilder.Build(s, cutoff + 0.7, full);
            var a = vectorized.Compute(s, list, Quantities.All | Quantities.AtomEnergies);
            var b = scalar.Compute(s, list, Quantities.All | Quantities.AtomEnergies);
            string where = $"{label}, {(full ? "full" : "half")} list";
            Assert.True(Math.Abs(a.Energy - b.Energy) < 1e-12 * Math.Abs(b.Energy), $"{where}: energy {a.Energy} vs {b.Energy}");
            for (int i = 0; i < s.Count; i++)
            {
                Assert.True((a.Forces![i] - b.Forces![i]).Length < 1e-12 * Math.Max(1, b.Forces[i].Length), $"{where}: force on atom {i}: {a.Forces[i]} vs {b.Forces[i]}");
                Assert.True(Math.Abs(a.AtomEnergies![i] - b.AtomEnergies![i]) < 1e-13, $"{where}: energy of atom {i}");
            }
            var stress = a.Stress!.Value.ToArray().Zip(b.Stress!.Value.ToArray(), (x, y) => Math.Abs(x - y)).Max();
            Assert.True(stress < 1e-14, $"{where}: stress differs by {stress}");
            Assert.Equal(b.ClosestPairDistance!.Value, a.ClosestPairDistance!.Value, 12);
        }
    }
}
