using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>The conventional axes in which spglib matches the operations against its Hall-symbol database, in the
/// order it tries them. They matter for the origin (not for the space group): the origin rule
/// (<see cref="ConventionalOrigin"/>) reduces the translation differences to [0, 1), so a translation that is 0 up
/// to noise falls on one side of 0 or the other depending on the sign of the axis it is measured along, and the
/// origin then differs by half a lattice vector. spglib takes the axes from the rotations of the Delaunay-reduced
/// primitive cell: each rotation axis is named by the first vector of a fixed list (below) that the rotation leaves
/// invariant, which fixes its sign; for the Laue class mmm the three 2-fold axes are sorted by their place in that
/// list (the last two swapped when the basis would be left-handed); then the axis permutations are tried in a fixed
/// order until the Hall symbol matches (spglib first tries axes equivalent to the input cell's; this frame matters
/// where there are none, e.g. for supercells). Laue classes 4/m … 6/mmm: c along the axis of the first 4-fold
/// (3-fold) rotation in spglib's order of operations, a the first listed perpendicular axis, b its image; m3̄ and
/// m3̄m: the 2-fold (4-fold) axes sorted as for mmm. Then spglib tries changes of basis in a fixed order (rotations
/// about c with and without turning c over; axis permutations) and keeps the first in which every operation matches
/// the Hall symbol (orthorhombic lattices: after its centring correction and with its preferences of axis lengths,
/// <see cref="Orthorhombic"/>; rhombohedral ones: <see cref="Rhombohedral"/>; monoclinic ones:
/// <see cref="MonoclinicHallFrames"/>).
/// The lists of axis vectors and of lattice-rotation columns and the permutations are spglib's (pointgroup.c,
/// symmetry.c, spacegroup.c; BSD 3-clause, see tools/reference/spglib/COPYING).</summary>
internal static class HallMatchingFrame
{
    /// <summary>Candidate rotation axes in lattice coordinates, in the order searched.</summary>
    private static readonly int[][] Axes =
    [
        [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 1, -1], [-1, 0, 1], [1, -1, 0], [1, 1, 1],
        [-1, 1, 1], [1, -1, 1], [1, 1, -1], [0, 1, 2], [2, 0, 1], [1, 2, 0], [0, 2, 1], [1, 0, 2], [2, 1, 0], [0, -1, 2],
        [2, 0, -1], [-1, 2, 0], [0, -2, 1], [1, 0, -2], [-2, 1, 0], [2, 1, 1], [1, 2, 1], [1, 1, 2], [2, -1, -1], [-1, 2, -1],
        [-1, -1, 2], [2, 1, -1], [-1, 2, 1], [1, -1, 2], [2, -1, 1], [1, 2, -1], [-1, 1, 2], [3, 1, 2], [2, 3, 1], [1, 2, 3],
        [3, 2, 1], [1, 3, 2], [2, 1, 3], [3, -1, 2], [2, 3, -1], [-1, 2, 3], [3, -2, 1], [1, 3, -2], [-2, 1, 3], [3, -1, -2],
        [-2, 3, -1], [-1, -2, 3], [3, -2, -1], [-1, 3, -2], [-2, -1, 3], [3, 1, -2], [-2, 3, 1], [1, -2, 3], [3, 2, -1], [-1, 3, 2],
        [2, -1, 3], [1, 1, 3], [-1, 1, 3], [1, -1, 3], [-1, -1, 3], [1, 3, 1], [-1, 3, 1], [1, 3, -1], [-1, 3, -1], [3, 1, 1],
        [3, 1, -1], [3, -1, 1], [3, -1, -1],
    ];

    /// <summary>Axis permutations tried for orthorhombic groups (columns: new axes in terms of the old).</summary>
    private static readonly IntMat3[] OrthorhombicPermutations =
    [
        new(1, 0, 0, 0, 1, 0, 0, 0, 1), new(0, 0, 1, 1, 0, 0, 0, 1, 0), new(0, 1, 0, 0, 0, 1, 1, 0, 0),
        new(0, 1, 0, 1, 0, 0, 0, 0, -1), new(1, 0, 0, 0, 0, 1, 0, -1, 0), new(0, 0, 1, 0, 1, 0, -1, 0, 0),
    ];

    /// <summary>Changes of basis tried for tetragonal groups: rotations about c, then the same with c turned over.</summary>
    private static readonly IntMat3[] FourFoldChanges =
    [
        new(1, 0, 0, 0, 1, 0, 0, 0, 1), new(0, -1, 0, 1, 0, 0, 0, 0, 1), new(-1, 0, 0, 0, -1, 0, 0, 0, 1), new(0, 1, 0, -1, 0, 0, 0, 0, 1),
        new(0, 1, 0, 1, 0, 0, 0, 0, -1), new(-1, 0, 0, 0, 1, 0, 0, 0, -1), new(0, -1, 0, -1, 0, 0, 0, 0, -1), new(1, 0, 0, 0, -1, 0, 0, 0, -1),
    ];

    /// <summary>Changes of basis tried for trigonal and hexagonal groups (hexagonal axes).</summary>
    private static readonly IntMat3[] SixFoldChanges =
    [
        new(1, 0, 0, 0, 1, 0, 0, 0, 1), new(1, -1, 0, 1, 0, 0, 0, 0, 1), new(0, -1, 0, 1, -1, 0, 0, 0, 1), new(-1, 0, 0, 0, -1, 0, 0, 0, 1),
        new(-1, 1, 0, -1, 0, 0, 0, 0, 1), new(0, 1, 0, -1, 1, 0, 0, 0, 1), new(0, 1, 0, 1, 0, 0, 0, 0, -1), new(-1, 1, 0, 0, 1, 0, 0, 0, -1),
        new(-1, 0, 0, -1, 1, 0, 0, 0, -1), new(0, -1, 0, -1, 0, 0, 0, 0, -1), new(1, -1, 0, 0, -1, 0, 0, 0, -1), new(1, 0, 0, 1, -1, 0, 0, 0, -1),
    ];

    /// <summary>The 26 columns of lattice rotations in the order spglib enumerates them (its lattice point group,
    /// hence its list of operations, is ordered lexicographically by the places of the three columns here).</summary>
    private static readonly int[][] RelativeAxes =
    [
        [1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1], [0, 1, 1], [1, 0, 1], [1, 1, 0], [0, -1, -1],
        [-1, 0, -1], [-1, -1, 0], [0, 1, -1], [-1, 0, 1], [1, -1, 0], [0, -1, 1], [1, 0, -1], [-1, 1, 0], [1, 1, 1], [-1, -1, -1],
        [-1, 1, 1], [1, -1, 1], [1, 1, -1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1],
    ];

    /// <summary>The candidate frames of tetragonal, trigonal, hexagonal and cubic crystals (columns: conventional axes
    /// in the coordinates of the reduced primitive basis in which <paramref name="rotations"/> are written), in the
    /// order spglib tries them; orthorhombic ones: <see cref="Orthorhombic"/>.</summary>
    /// <param name="enumerationBasis">T with rows of the basis in which spglib enumerates the lattice rotations in terms
    /// of the reduced basis (spglib reduces the already reduced primitive lattice once more before enumerating, and the
    /// Delaunay reduction is not idempotent: the sorted shortest vectors need not form an obtuse superbase); the order
    /// is that of T⁻ᵀ W Tᵀ.</param>
    public static IEnumerable<IntMat3> Candidates(string crystalSystem, IReadOnlyList<IntMat3> rotations, IntMat3 enumerationBasis)
    {
        var ordered = Ordered(rotations, enumerationBasis);
        IntMat3? frame = crystalSystem switch
        {
            "tetragonal" => OneAxis(ordered, order: 4),
            "trigonal" or "hexagonal" => OneAxis(ordered, order: 3),
            "cubic" => ordered.Any(w => (w.Determinant < 0 ? -w : w).Trace == 1) ? SortedAxes(ordered, order: 4) : SortedAxes(ordered, order: 2),
            _ => null,
        };
        if (frame is null) yield break;
        // spglib then tries changes of basis in a fixed order and keeps the first in which every operation matches
        // the Hall symbol: the 4-fold (6-fold) rotations about c with and without turning c over, or the axis
        // permutations for cubic crystals (orthorhombic ones: see Orthorhombic).
        var changes = crystalSystem switch
        {
            "tetragonal" => FourFoldChanges,
            "trigonal" or "hexagonal" => SixFoldChanges,
            _ => OrthorhombicPermutations,
        };
        foreach (var p in changes) yield return frame.Value * p;
    }

    /// <summary>Rhombohedral lattices (hexagonal axes): the hexagonal cell of the first 3-fold axis (as for trigonal
    /// groups) taken to the rhombohedral cell by spglib's obverse or reverse correction, then spglib's six changes of
    /// basis from that cell to obverse hexagonal cells.</summary>
    internal static IEnumerable<IntMat3> Rhombohedral(IReadOnlyList<IntMat3> rotations, IntMat3 enumerationBasis)
    {
        if (OneAxis(Ordered(rotations, enumerationBasis), order: 3) is not { } hexagonal) yield break;
        var h = hexagonal.ToMat3();
        var rhombohedral = IntMat3.Round(h * Obverse, 0.1) ?? IntMat3.Round(h * Reverse, 0.1);
        if (rhombohedral is not { } r) yield break;
        foreach (var change in RhombohedralToHexagonal) yield return r * change;
    }

    private static readonly Mat3 Obverse = new(2 / 3.0, -1 / 3.0, -1 / 3.0, 1 / 3.0, 1 / 3.0, -2 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0);
    private static readonly Mat3 Reverse = new(1 / 3.0, -2 / 3.0, 1 / 3.0, 2 / 3.0, -1 / 3.0, -1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0);

    private static readonly IntMat3[] RhombohedralToHexagonal =
    [
        new(1, 0, 1, -1, 1, 1, 0, -1, 1), new(0, -1, 1, 1, 0, 1, -1, 1, 1), new(-1, 1, 1, 0, -1, 1, 1, 0, 1),
        new(0, 1, -1, 1, -1, -1, -1, 0, -1), new(1, -1, -1, -1, 0, -1, 0, 1, -1), new(-1, 0, -1, 0, 1, -1, 1, -1, -1),
    ];

    /// <summary>Number of axis choices of each orthorhombic type (16–74) that spglib counts when it prefers some axis
    /// lengths (spacegroup.c): with 6 the axes must be sorted by length, with 3 a must be the shortest.</summary>
    private static readonly int[] OrthorhombicAxisChoices =
    [
        6, 2, 2, 6, 2, 2, 6, 6, 6, 2, 1, 2, 1, 1, 1, 1, 2, 1, 2, 2, 1, 2, 1, 1, 1, 1, 2, 2, 2, 2,
        1, 6, 6, 2, 2, 1, 1, 1, 1, 2, 2, 1, 2, 2, 1, 3, 1, 1, 1, 2, 2, 2, 2, 6, 6, 6, 2, 6, 2,
    ];

    /// <summary>Orthorhombic candidate frames in spglib's order, given the sorted 2-fold axes <paramref name="axes"/>:
    /// the six permutations, with the length preference of the type; for types with two axis choices spglib first
    /// takes the first permutation in which the operations match (<paramref name="matches"/>) and then permutes that
    /// again, with the two axes other than the one each permutation puts on its unique axis in order of length.
    /// A base-centred cell is first brought to C by a cyclic permutation (A → C, B → C), and only permutations that
    /// give the setting's centring (<paramref name="centering"/>) can match.</summary>
    internal static IEnumerable<IntMat3> Orthorhombic(int number, char centering, IntMat3 axes, Mat3 primitiveLattice, Func<IntMat3, bool> matches)
    {
        if (number is < 16 or > 74) yield break;
        axes = MonoclinicHallFrames.Centering(axes) switch
        {
            'A' => axes * new IntMat3(0, 0, 1, 1, 0, 0, 0, 1, 0),
            'B' => axes * new IntMat3(0, 1, 0, 0, 0, 1, 1, 0, 0),
            _ => axes,
        };
        bool Centred(IntMat3 frame) => MonoclinicHallFrames.Centering(frame) == centering;
        if (OrthorhombicAxisChoices[number - 16] != 2)
        {
            foreach (var p in OrthorhombicPermutations)
                if (Centred(axes * p) && MeetsOrthorhombicLengthRule(number, axes * p, primitiveLattice)) yield return axes * p;
            yield break;
        }
        foreach (var first in OrthorhombicPermutations)
        {
            if (!Centred(axes * first) || !matches(axes * first)) continue;
            for (int i = 0; i < OrthorhombicPermutations.Length; i++)
            {
                var frame = axes * first * OrthorhombicPermutations[i];
                var norms = ColumnNorms(frame, primitiveLattice).Where((_, j) => j != OrthorhombicUniqueAxis[i]).ToArray();
                if (Centred(frame) && norms[0] <= norms[1] + 1e-10) yield return frame;
            }
            yield break;
        }
    }

    /// <summary>The axis each orthorhombic permutation treats as unique (spglib's change_of_unique_axis_ortho).</summary>
    private static readonly int[] OrthorhombicUniqueAxis = [2, 1, 0, 2, 1, 0];

    private static double[] ColumnNorms(IntMat3 frame, Mat3 primitiveLattice)
    {
        var norms = new double[3];
        for (int j = 0; j < 3; j++)
            norms[j] = (frame[0, j] * primitiveLattice.Row(0) + frame[1, j] * primitiveLattice.Row(1) + frame[2, j] * primitiveLattice.Row(2)).LengthSquared;
        return norms;
    }

    /// <summary>Whether an orthorhombic frame satisfies spglib's length preference for the space-group type.</summary>
    private static bool MeetsOrthorhombicLengthRule(int number, IntMat3 frame, Mat3 primitiveLattice)
    {
        if (number is < 16 or > 74) return true;
        var norms = ColumnNorms(frame, primitiveLattice);
        return OrthorhombicAxisChoices[number - 16] switch
        {
            6 => norms[0] <= norms[1] + 1e-10 && norms[1] <= norms[2] + 1e-10,
            3 => norms[0] <= norms[1] + 1e-10 && norms[0] <= norms[2] + 1e-10,
            _ => true,
        };
    }

    /// <summary>Laue class mmm: the three 2-fold axes sorted as spglib sorts them (before its axis permutations).</summary>
    internal static IntMat3? OrthorhombicAxes(IReadOnlyList<IntMat3> rotations, IntMat3 enumerationBasis) =>
        SortedAxes(Ordered(rotations, enumerationBasis), order: 2);

    private static List<IntMat3> Ordered(IReadOnlyList<IntMat3> rotations, IntMat3 enumerationBasis)
    {
        var t = enumerationBasis.ToMat3().Transpose();
        var tInv = t.Inverse();
        return rotations.Distinct().OrderBy(w => EnumerationKey(IntMat3.Round(tInv * w.ToMat3() * t) ?? w)).ToList();
    }

    /// <summary>Laue class 2/m, before spglib's reduction of the cell (<see cref="MonoclinicHallFrames"/>): b along
    /// the axis of the first 2-fold rotation met, a the first listed perpendicular axis of smallest norm, c the next
    /// (no correction of handedness).</summary>
    internal static IntMat3? MonoclinicAxes(IReadOnlyList<IntMat3> rotations, IntMat3 enumerationBasis)
    {
        var ordered = Ordered(rotations, enumerationBasis);
        IntMat3? found = null;
        foreach (var w in ordered)
        {
            var proper = w.Determinant < 0 ? -w : w;
            if (proper.Trace == -1) { found = proper; break; }
        }
        if (found is not { } rot) return null;
        int b = RotationAxis(rot);
        if (b < 0) return null;
        var sum = Add(IntMat3.Identity, rot);
        var ortho = Enumerable.Range(0, Axes.Length).Where(i => IsZero(sum, Axes[i])).ToList();
        int a = -1, c = -1, best = 8;
        foreach (int i in ortho) if (Norm(Axes[i]) < best) { best = Norm(Axes[i]); a = i; }
        best = 8;
        foreach (int i in ortho) if (Norm(Axes[i]) < best && i != a) { best = Norm(Axes[i]); c = i; }
        return a < 0 || c < 0 ? null : FromColumns(a, b, c);
    }

    private static int Norm(int[] v) => v[0] * v[0] + v[1] * v[1] + v[2] * v[2];

    private static int EnumerationKey(IntMat3 w)
    {
        int key = 0;
        for (int col = 0; col < 3; col++)
        {
            int index = Array.FindIndex(RelativeAxes, v => v[0] == w[0, col] && v[1] == w[1, col] && v[2] == w[2, col]);
            key = key * 32 + (index < 0 ? 31 : index);
        }
        return key;
    }

    /// <summary>Laue classes mmm, m3̄, m3̄m: the distinct 2-fold (or 4-fold) axes sorted by their place in the list,
    /// the last two swapped when left-handed.</summary>
    private static IntMat3? SortedAxes(List<IntMat3> rotations, int order)
    {
        int trace = order == 2 ? -1 : 1;
        var axes = new List<int>();
        foreach (var w in rotations)
        {
            var proper = w.Determinant < 0 ? -w : w;
            if (proper.Trace != trace) continue;
            int axis = RotationAxis(proper);
            if (axis >= 0 && !axes.Contains(axis)) axes.Add(axis);
        }
        if (axes.Count != 3) return null;
        axes.Sort();
        var frame = FromColumns(axes[0], axes[1], axes[2]);
        return frame.Determinant < 0 ? FromColumns(axes[0], axes[2], axes[1]) : frame;
    }

    /// <summary>Laue classes 4/m, 4/mmm, 3̄, 3̄m, 6/m, 6/mmm: c along the axis of the first 4-fold (3-fold) rotation met;
    /// a the first listed axis perpendicular to it whose image under that rotation is listed too (b, with its sign),
    /// skipping choices that make a cell of volume 4 or more; a and b swapped when left-handed.</summary>
    private static IntMat3? OneAxis(List<IntMat3> rotations, int order)
    {
        int trace = order == 4 ? 1 : 0;
        IntMat3? found = null;
        foreach (var w in rotations)
        {
            var proper = w.Determinant < 0 ? -w : w;
            if (proper.Trace == trace) { found = proper; break; }
        }
        if (found is not { } rot) return null;
        int c = RotationAxis(rot);
        if (c < 0) return null;
        // Axes perpendicular to the rotation axis: the kernel of 1 + R + ... + R^(n−1).
        var sum = IntMat3.Identity;
        var power = IntMat3.Identity;
        for (int i = 0; i < order - 1; i++) { power = rot * power; sum = Add(sum, power); }
        var ortho = Enumerable.Range(0, Axes.Length).Where(i => IsZero(sum, Axes[i])).ToList();
        foreach (int a in ortho)
        {
            var image = Apply(rot, Axes[a]);
            foreach (int b in ortho)
            {
                int sign = Same(image, Axes[b]) ? 1 : Same(image, Axes[b], -1) ? -1 : 0;
                if (sign == 0) continue;
                var frame = FromColumns(a, b, c, 1, sign, 1);
                if (Math.Abs(frame.Determinant) >= 4) break;
                return frame.Determinant < 0 ? FromColumns(b, a, c, sign, 1, 1) : frame;
            }
        }
        return null;
    }

    private static IntMat3 Add(IntMat3 x, IntMat3 y) => new(x.M00 + y.M00, x.M01 + y.M01, x.M02 + y.M02, x.M10 + y.M10, x.M11 + y.M11,
        x.M12 + y.M12, x.M20 + y.M20, x.M21 + y.M21, x.M22 + y.M22);

    private static int[] Apply(IntMat3 m, int[] v) =>
        [m[0, 0] * v[0] + m[0, 1] * v[1] + m[0, 2] * v[2], m[1, 0] * v[0] + m[1, 1] * v[1] + m[1, 2] * v[2], m[2, 0] * v[0] + m[2, 1] * v[1] + m[2, 2] * v[2]];

    private static bool IsZero(IntMat3 m, int[] v) => Apply(m, v) is [0, 0, 0];

    private static bool Same(int[] u, int[] v, int sign = 1) => u[0] == sign * v[0] && u[1] == sign * v[1] && u[2] == sign * v[2];

    private static int RotationAxis(IntMat3 proper)
    {
        for (int i = 0; i < Axes.Length; i++)
        {
            var v = Axes[i];
            bool fixedPoint = true;
            for (int r = 0; r < 3 && fixedPoint; r++)
                fixedPoint = proper[r, 0] * v[0] + proper[r, 1] * v[1] + proper[r, 2] * v[2] == v[r];
            if (fixedPoint) return i;
        }
        return -1;
    }

    private static IntMat3 FromColumns(int i, int j, int k, int si = 1, int sj = 1, int sk = 1)
    {
        int[] a = Axes[i], b = Axes[j], c = Axes[k];
        return new IntMat3(si * a[0], sj * b[0], sk * c[0], si * a[1], sj * b[1], sk * c[1], si * a[2], sj * b[2], sk * c[2]);
    }
}
