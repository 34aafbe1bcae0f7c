using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>Wyckoff letters of symmetrized orbits in the standardized conventional cell: an orbit belongs to the
/// first Wyckoff position (from 'a' upward) of its multiplicity whose representative coordinate triplet, an affine
/// subspace p ↦ A p + c, passes through one of the orbit's points modulo the lattice.</summary>
internal static class WyckoffAssigner
{
    public static WyckoffPosition Assign(HallSetting setting, IReadOnlyList<Vec3> orbit, Mat3 lattice, double tolerance)
    {
        foreach (var w in setting.Wyckoffs)
        {
            if (w.Multiplicity != orbit.Count) continue;
            var triplet = w.Triplets[0];
            foreach (var y in orbit)
                if (OnSubspace(triplet, y, lattice, tolerance)) return w;
        }
        // Multiplicity alone when no triplet matched within the tolerance (should not happen for symmetrized orbits).
        return setting.Wyckoffs.First(w => w.Multiplicity == orbit.Count);
    }

    private static bool OnSubspace(AffineTriplet t, Vec3 y, Mat3 lattice, double tolerance)
    {
        var d = Fractional.Wrap(y - t.Offset);
        var free = new List<int>();
        for (int j = 0; j < 3; j++)
            if (Math.Abs(t.Matrix[0, j]) + Math.Abs(t.Matrix[1, j]) + Math.Abs(t.Matrix[2, j]) > 0) free.Add(j);
        if (free.Count == 0) return (d * lattice).Length < tolerance;
        if (free.Count == 3) return true;
        for (int a = -1; a <= 1; a++)
            for (int b = -1; b <= 1; b++)
                for (int c = -1; c <= 1; c++)
                {
                    var target = d + new Vec3(a, b, c);
                    var p = LeastSquares(t.Matrix, free, target);
                    var residual = t.Matrix * p - target;
                    if ((residual * lattice).Length < tolerance) return true;
                }
        return false;
    }

    private static Vec3 LeastSquares(Mat3 m, List<int> free, Vec3 target)
    {
        int k = free.Count;
        var ata = new double[k, k];
        var atb = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
                for (int r = 0; r < 3; r++) ata[i, j] += m[r, free[i]] * m[r, free[j]];
            for (int r = 0; r < 3; r++) atb[i] += m[r, free[i]] * target[r];
        }
        var sol = new double[k];
        if (k == 1) sol[0] = atb[0] / ata[0, 0];
        else
        {
            double det = ata[0, 0] * ata[1, 1] - ata[0, 1] * ata[1, 0];
            sol[0] = (atb[0] * ata[1, 1] - ata[0, 1] * atb[1]) / det;
            sol[1] = (ata[0, 0] * atb[1] - ata[1, 0] * atb[0]) / det;
        }
        var p = Vec3.Zero;
        for (int i = 0; i < k; i++) p[free[i]] = sol[i];
        return p;
    }
}
