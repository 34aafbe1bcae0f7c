using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials;

public static partial class PotentialConformance
{
    /// <summary>
    /// How far a potential's results move under operations that must not change the physics, each the largest absolute
    /// difference from the structure as given (energies in eV, forces in eV/Å, stresses in eV/Å³; NaN where the check
    /// does not apply). Rotations and the reflection act on positions and cell alike (r → r·Q), so forces must turn
    /// with them (F → F·Q) and stresses too (σ → Qᵀ·σ·Q); permuting atoms permutes forces; moving an atom by a lattice
    /// vector, translating everything, or evaluating a structure inside a batch changes nothing; a supercell doubled
    /// along a periodic axis has twice the energy, the same forces per atom and the same stress.
    /// </summary>
    public sealed record InvarianceReport(
        double Rotation,
        double Reflection,
        double Translation,
        double Permutation,
        double ImageChange,
        double Supercell,
        double Batch)
    {
        /// <summary>The worst of all checks that apply.</summary>
        public double Worst => new[] { Rotation, Reflection, Translation, Permutation, ImageChange, Supercell, Batch }
            .Where(double.IsFinite).DefaultIfEmpty(0).Max();

        public override string ToString() => FormattableString.Invariant(
            $"rotation {Rotation:E2}, reflection {Reflection:E2}, translation {Translation:E2}, permutation {Permutation:E2}, image {ImageChange:E2}, supercell {Supercell:E2}, batch {Batch:E2}");
    }

    /// <summary>Runs every invariance check on <paramref name="structure"/> with random operations drawn from
    /// <paramref name="seed"/>; a potential that is only invariant to proper rotations fails the reflection check.</summary>
    public static InvarianceReport CheckInvariances(Potential potential, Structure structure, int seed = 1)
    {
        var rng = new Random(seed);
        var s = structure.Clone();
        const Quantities what = Quantities.All;
        var reference = Evaluate(potential, s, what);

        var rotation = RandomRotation(rng);
        var reflection = -1.0 * RandomRotation(rng);
        double Turned(Mat3 q) => Difference(reference, Evaluate(potential, Transformed(s, q), what), q, identity: null);

        var translated = s.Clone();
        var offset = new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * 3.0;
        translated.SetPositions(s.Positions.Select(r => r + offset).ToArray());

        var order = Enumerable.Range(0, s.Count).OrderBy(_ => rng.Next()).ToArray();
        var permuted = s.Select(order);
        double permutation = Difference(reference, Evaluate(potential, permuted, what), Mat3.Identity, order);

        double image = double.NaN;
        int axis = Enumerable.Range(0, 3).FirstOrDefault(a => s.Pbc[a], -1);
        if (axis >= 0)
        {
            var moved = (Vec3[])s.Positions.Clone();
            int atom = rng.Next(s.Count);
            moved[atom] += (rng.Next(2) == 0 ? 1 : -1) * s.Cell.Matrix.Row(axis);
            var imaged = s.Clone();
            imaged.SetPositions(moved);
            image = Difference(reference, Evaluate(potential, imaged, what), Mat3.Identity, null);
        }

        return new InvarianceReport(
            Turned(rotation), Turned(reflection),
            Difference(reference, Evaluate(potential, translated, what), Mat3.Identity, null),
            permutation, image,
            axis >= 0 ? SupercellDifference(potential, s, axis, reference, what) : double.NaN,
            BatchDifference(potential, s, rotation, what));
    }

    /// <summary>A uniformly random proper rotation, from a random unit quaternion.</summary>
    private static Mat3 RandomRotation(Random rng)
    {
        double u1 = rng.NextDouble(), u2 = 2 * Math.PI * rng.NextDouble(), u3 = 2 * Math.PI * rng.NextDouble();
        double a = Math.Sqrt(1 - u1), b = Math.Sqrt(u1);
        double w = a * Math.Sin(u2), x = a * Math.Cos(u2), y = b * Math.Sin(u3), z = b * Math.Cos(u3);
        return new Mat3(
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y));
    }

    private static Structure Transformed(Structure s, Mat3 q)
    {
        var t = s.Clone();
        t.Cell = new Cell(s.Cell.Matrix * q);
        t.SetPositions(s.Positions.Select(r => r * q).ToArray());
        return t;
    }

    /// <summary>The largest difference between <paramref name="a"/> carried by q (and atom order) and <paramref name="b"/>.
    /// b's atom k is a's atom identity[k] (null: the same order).</summary>
    private static double Difference(PotentialResult a, PotentialResult b, Mat3 q, int[]? identity)
    {
        double worst = Math.Abs(a.Energy - b.Energy);
        for (int k = 0; k < b.Forces!.Length; k++)
            worst = Math.Max(worst, (a.Forces![identity?[k] ?? k] * q - b.Forces[k]).Length);
        if (a.Stress is Mat3 sa && b.Stress is Mat3 sb) worst = Math.Max(worst, (q.Transpose() * sa * q - sb).MaxAbs());
        return worst;
    }

    private static double SupercellDifference(Potential potential, Structure s, int axis, PotentialResult reference, Quantities what)
    {
        var big = Supercell.Repeat(s, axis == 0 ? 2 : 1, axis == 1 ? 2 : 1, axis == 2 ? 2 : 1);
        var result = Evaluate(potential, big, what);
        double worst = Math.Abs(result.Energy - 2 * reference.Energy);
        for (int k = 0; k < big.Count; k++) worst = Math.Max(worst, (result.Forces![k] - reference.Forces![k % s.Count]).Length);
        if (reference.Stress is Mat3 sa && result.Stress is Mat3 sb) worst = Math.Max(worst, (sa - sb).MaxAbs());
        return worst;
    }

    /// <summary>The structure and a rotated copy evaluated as one batch against each alone.</summary>
    private static double BatchDifference(Potential potential, Structure s, Mat3 rotation, Quantities what) =>
        CheckBatch(potential, [s, Transformed(s, rotation)], what);

    /// <summary>The largest difference (energy, forces, stress) between <paramref name="structures"/> evaluated as one
    /// batch and each evaluated alone; also fails when a structure gets a stress in one and not the other.</summary>
    public static double CheckBatch(Potential potential, IReadOnlyList<Structure> structures, Quantities what = Quantities.All)
    {
        var bound = new BoundPotential(potential, skin: 0);
        var batch = bound.Compute(structures, what);
        double worst = 0;
        for (int b = 0; b < structures.Count; b++)
        {
            var alone = bound.Compute(structures[b], what);
            if ((alone.Stress is null) != (batch[b].Stress is null)) return double.PositiveInfinity;
            worst = Math.Max(worst, Difference(alone, batch[b], Mat3.Identity, null));
        }
        return worst;
    }
}
