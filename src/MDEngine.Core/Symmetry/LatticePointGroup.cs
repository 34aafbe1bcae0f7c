using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>The point group of a lattice: integer matrices W (entries −1, 0, 1 in a Delaunay-reduced basis) that
/// preserve the metric tensor G = B Bᵀ, i.e. Wᵀ G W = G within the length and angle tolerances.</summary>
internal static class LatticePointGroup
{
    public static List<IntMat3> Find(Mat3 reducedLattice, double symprec, double angleTolerance)
    {
        var g = reducedLattice * reducedLattice.Transpose();
        var lengths = new[] { Math.Sqrt(g[0, 0]), Math.Sqrt(g[1, 1]), Math.Sqrt(g[2, 2]) };
        // Candidate images of each basis vector: integer vectors with entries in {-1,0,1} of the same length.
        var columns = new List<int[]>[3];
        for (int j = 0; j < 3; j++) columns[j] = [];
        for (int a = -1; a <= 1; a++)
            for (int b = -1; b <= 1; b++)
                for (int c = -1; c <= 1; c++)
                {
                    if (a == 0 && b == 0 && c == 0) continue;
                    var cart = new Vec3(a, b, c) * reducedLattice;
                    double len = cart.Length;
                    for (int j = 0; j < 3; j++)
                        if (Math.Abs(len - lengths[j]) < symprec) columns[j].Add([a, b, c]);
                }
        var result = new List<IntMat3>();
        foreach (var c0 in columns[0])
            foreach (var c1 in columns[1])
                foreach (var c2 in columns[2])
                {
                    var w = new IntMat3(c0[0], c1[0], c2[0], c0[1], c1[1], c2[1], c0[2], c1[2], c2[2]);
                    int det = w.Determinant;
                    if (det != 1 && det != -1) continue;
                    if (PreservesMetric(w, reducedLattice, g, lengths, symprec, angleTolerance)) result.Add(w);
                }
        return result;
    }

    private static bool PreservesMetric(IntMat3 w, Mat3 lattice, Mat3 g, double[] lengths, double symprec, double angleTolerance)
    {
        var images = new Vec3[3];
        for (int j = 0; j < 3; j++) images[j] = new Vec3(w[0, j], w[1, j], w[2, j]) * lattice;
        for (int i = 0; i < 3; i++)
            for (int j = i + 1; j < 3; j++)
            {
                double li = images[i].Length, lj = images[j].Length;
                double cosNew = images[i].Dot(images[j]) / (li * lj);
                double cosOld = g[i, j] / (lengths[i] * lengths[j]);
                if (angleTolerance > 0)
                {
                    double diff = Math.Abs(Math.Acos(Math.Clamp(cosNew, -1, 1)) - Math.Acos(Math.Clamp(cosOld, -1, 1))) * 180 / Math.PI;
                    if (diff > angleTolerance) return false;
                }
                else
                {
                    double dTheta = Math.Acos(Math.Clamp(cosNew, -1, 1)) - Math.Acos(Math.Clamp(cosOld, -1, 1));
                    double s = Math.Sin(dTheta);
                    double lengthAverage2 = (li + lengths[i]) * (lj + lengths[j]) / 4;
                    if (s * s * lengthAverage2 > symprec * symprec) return false;
                }
            }
        return true;
    }
}
