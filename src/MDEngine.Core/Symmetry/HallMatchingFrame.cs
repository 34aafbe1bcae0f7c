namespace MDEngine.Symmetry;

/// <summary>The conventional axes in which spglib matches the operations against its Hall-symbol database, in the
/// order it tries them. They matter for the origin (not for the space group): the origin rule
/// (<see cref="ConventionalOrigin"/>) reduces the translation differences to [0, 1), so a translation that is 0 up
/// to noise falls on one side of 0 or the other depending on the sign of the axis it is measured along, and the
/// origin then differs by half a lattice vector. spglib takes the axes from the rotations of the Delaunay-reduced
/// primitive cell: each rotation axis is named by the first vector of a fixed list (below) that the rotation leaves
/// invariant, which fixes its sign; for the Laue class mmm the three 2-fold axes are sorted by their place in that
/// list (the last two swapped when the basis would be left-handed); then the axis permutations are tried in a fixed
/// order until the Hall symbol matches. Emulated here for primitive orthorhombic lattices, where it is measured to
/// reproduce spglib on every structure of the reference corpus; for the other families the choice also depends on
/// the order of spglib's operations, its centring corrections and further candidate settings, and the frame of the
/// chosen basis is kept. The list of axis vectors and the permutations are spglib's (pointgroup.c, spacegroup.c;
/// BSD 3-clause, see tools/reference/spglib/COPYING).</summary>
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

    /// <summary>The candidate frames (columns: conventional axes in the coordinates of the reduced primitive basis
    /// in which <paramref name="rotations"/> are written), in the order spglib tries them; empty where this
    /// emulation does not cover the lattice family.</summary>
    public static IEnumerable<IntMat3> Candidates(string crystalSystem, IReadOnlyList<IntMat3> rotations)
    {
        if (crystalSystem != "orthorhombic") yield break;
        var axes = new List<int>();
        foreach (var w in rotations)
        {
            var proper = w.Determinant < 0 ? -w : w;
            if (proper.Trace != -1) continue; // 2-fold rotations only
            int axis = RotationAxis(proper);
            if (axis >= 0 && !axes.Contains(axis)) axes.Add(axis);
        }
        if (axes.Count != 3) yield break;
        axes.Sort();
        var frame = FromColumns(axes[0], axes[1], axes[2]);
        if (frame.Determinant < 0) frame = FromColumns(axes[0], axes[2], axes[1]);
        foreach (var p in OrthorhombicPermutations) yield return frame * p;
    }

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

    private static IntMat3 FromColumns(int i, int j, int k)
    {
        int[] a = Axes[i], b = Axes[j], c = Axes[k];
        return new IntMat3(a[0], b[0], c[0], a[1], b[1], c[1], a[2], b[2], c[2]);
    }
}
