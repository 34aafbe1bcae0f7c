using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>Delaunay (Selling) reduction of a lattice: the superbase b1..b4 (b4 = −b1−b2−b3) is transformed until
/// all mutual scalar products are non-positive; the three shortest vectors of the Delaunay set that span the
/// lattice form the reduced basis (Delaunay, 1933; as used by spglib for the search of lattice symmetry).</summary>
internal static class LatticeReduction
{
    /// <summary>Integer matrix R (rows: reduced vectors in terms of the input rows) with reduced = R · lattice.</summary>
    public static IntMat3 Delaunay(Mat3 lattice, double tolerance)
    {
        var v = new Vec3[4];
        var c = new int[4][];
        for (int i = 0; i < 3; i++) { v[i] = lattice.Row(i); c[i] = new int[3]; c[i][i] = 1; }
        v[3] = -(v[0] + v[1] + v[2]);
        c[3] = [-1, -1, -1];
        double eps = tolerance * tolerance;
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            bool changed = false;
            for (int i = 0; i < 4 && !changed; i++)
                for (int j = i + 1; j < 4 && !changed; j++)
                {
                    if (v[i].Dot(v[j]) <= eps) continue;
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
        var candidates = new List<(Vec3 V, int[] C)>
        {
            (v[0], c[0]), (v[1], c[1]), (v[2], c[2]), (v[3], c[3]),
            (v[0] + v[1], Add(c[0], c[1])), (v[1] + v[2], Add(c[1], c[2])), (v[2] + v[0], Add(c[2], c[0])),
        };
        candidates.Sort((a, b) => a.V.LengthSquared.CompareTo(b.V.LengthSquared));
        double volume = Math.Abs(lattice.Determinant);
        for (int i = 0; i < candidates.Count; i++)
            for (int j = i + 1; j < candidates.Count; j++)
                for (int k = j + 1; k < candidates.Count; k++)
                {
                    var m = Mat3.FromRows(candidates[i].V, candidates[j].V, candidates[k].V);
                    double det = m.Determinant;
                    if (Math.Abs(Math.Abs(det) - volume) > 1e-6 * volume) continue;
                    int s = det > 0 ? 1 : -1;
                    var r = new IntMat3(
                        s * candidates[i].C[0], s * candidates[i].C[1], s * candidates[i].C[2],
                        s * candidates[j].C[0], s * candidates[j].C[1], s * candidates[j].C[2],
                        s * candidates[k].C[0], s * candidates[k].C[1], s * candidates[k].C[2]);
                    return r;
                }
        return IntMat3.Identity;
    }

    private static int[] Add(int[] a, int[] b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
