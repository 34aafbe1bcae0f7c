using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>Delaunay (Selling) reduction of a lattice: the superbase b1..b4 (b4 = −b1−b2−b3) is transformed until
/// all mutual scalar products are non-positive; the three shortest vectors of the Delaunay set that span the
/// lattice form the reduced basis (Delaunay, 1933; as used by spglib for the search of lattice symmetry).</summary>
internal static class LatticeReduction
{
    /// <summary>Integer matrix R (rows: reduced vectors in terms of the input rows) with reduced = R · lattice.
    /// The steps follow spglib's so that the reduced basis, signs included, is the one spglib works in (its
    /// conventional axes, hence the origin it picks, derive from it; see <see cref="HallMatchingFrame"/>): a pair
    /// with a scalar product above the tolerance (compared as spglib does, in Å², with the length tolerance) is
    /// reduced, the first such pair in the order (1,2), (1,3), (1,4), (2,3), ... each time; the Delaunay set is
    /// ordered b1, b2, b1+b2, b3, b4, b2+b3, b3+b1 and sorted by length with a stable sort; the reduced basis is the
    /// two shortest vectors and the next one not coplanar with them, all three negated if left-handed.</summary>
    public static IntMat3 Delaunay(Mat3 lattice, double tolerance)
    {
        var v = new Vec3[4];
        var c = new int[4][];
        for (int i = 0; i < 3; i++) { v[i] = lattice.Row(i); c[i] = new int[3]; c[i][i] = 1; }
        v[3] = -(v[0] + v[1] + v[2]);
        c[3] = [-1, -1, -1];
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            bool changed = false;
            for (int i = 0; i < 3 && !changed; i++)
                for (int j = i + 1; j < 4 && !changed; j++)
                {
                    if (v[i].Dot(v[j]) <= tolerance) continue;
                    for (int k = 0; k < 4; k++)
                    {
                        if (k == i || k == j) continue;
                        v[k] += v[i];
                        for (int m = 0; m < 3; m++) c[k][m] += c[i][m];
                    }
                    v[i] = -v[i];
                    for (int m = 0; m < 3; m++) c[i][m] = -c[i][m];
                    changed = true;
                }
            if (!changed) break;
        }
        var b = new List<(Vec3 V, int[] C)>
        {
            (v[0], c[0]), (v[1], c[1]), (v[0] + v[1], Add(c[0], c[1])), (v[2], c[2]), (v[3], c[3]),
            (v[1] + v[2], Add(c[1], c[2])), (v[2] + v[0], Add(c[2], c[0])),
        };
        // Bubble sort: only strictly longer vectors (beyond 1e-10 Å²) move back, so ties keep their order.
        for (int pass = 0; pass < 6; pass++)
            for (int j = 0; j < 6; j++)
                if (b[j].V.LengthSquared > b[j + 1].V.LengthSquared + 1e-10) (b[j], b[j + 1]) = (b[j + 1], b[j]);
        for (int k = 2; k < 7; k++)
        {
            var m = Mat3.FromRows(b[0].V, b[1].V, b[k].V);
            double det = m.Determinant;
            if (Math.Abs(det) <= tolerance) continue;
            int s = det > 0 ? 1 : -1;
            return new IntMat3(
                s * b[0].C[0], s * b[0].C[1], s * b[0].C[2],
                s * b[1].C[0], s * b[1].C[1], s * b[1].C[2],
                s * b[k].C[0], s * b[k].C[1], s * b[k].C[2]);
        }
        return IntMat3.Identity;
    }

    private static int[] Add(int[] a, int[] b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
