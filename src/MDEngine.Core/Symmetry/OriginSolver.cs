namespace MDEngine.Symmetry;

/// <summary>Solves A o ≡ b (mod 1) for o ∈ ℝ³ with A an integer m×3 matrix, by diagonalising A with unimodular row
/// and column operations (Smith normal form without the divisibility ordering): U A V = D, then D y ≡ U b and
/// o = V y. Returns every solution modulo 1 (free directions set to 0), or none when the system is inconsistent.</summary>
internal static class OriginSolver
{
    public static List<double[]> Solve(int[,] a, double[] b, double tolerance)
    {
        int m = a.GetLength(0);
        var A = (int[,])a.Clone();
        var B = (double[])b.Clone();
        var V = new int[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        int rank = 0;
        for (int t = 0; t < 3 && t < m; t++)
        {
            while (true)
            {
                // Pivot: smallest non-zero |entry| in the remaining block.
                int pi = -1, pj = -1, best = int.MaxValue;
                for (int i = t; i < m; i++)
                    for (int j = t; j < 3; j++)
                        if (A[i, j] != 0 && Math.Abs(A[i, j]) < best) { best = Math.Abs(A[i, j]); pi = i; pj = j; }
                if (pi < 0) goto done;
                SwapRows(A, B, t, pi);
                SwapColumns(A, V, t, pj);
                bool clean = true;
                for (int i = t + 1; i < m; i++)
                {
                    int q = A[i, t] / A[t, t];
                    if (q != 0) { for (int j = 0; j < 3; j++) A[i, j] -= q * A[t, j]; B[i] -= q * B[t]; }
                    if (A[i, t] != 0) clean = false;
                }
                for (int j = t + 1; j < 3; j++)
                {
                    int q = A[t, j] / A[t, t];
                    if (q != 0) { for (int i = 0; i < m; i++) A[i, j] -= q * A[i, t]; for (int i = 0; i < 3; i++) V[i, j] -= q * V[i, t]; }
                    if (A[t, j] != 0) clean = false;
                }
                if (clean) break;
            }
            rank = t + 1;
        }
        done:
        for (int i = rank; i < m; i++)
            if (Math.Abs(B[i] - Math.Round(B[i])) > tolerance) return [];
        var choices = new List<double[]> { new double[3] };
        for (int i = 0; i < rank; i++)
        {
            int d = Math.Abs(A[i, i]);
            double sign = A[i, i] > 0 ? 1 : -1;
            var next = new List<double[]>();
            foreach (var y in choices)
                for (int k = 0; k < d; k++)
                {
                    var z = (double[])y.Clone();
                    z[i] = sign * (B[i] + k) / d;
                    next.Add(z);
                }
            choices = next;
        }
        var result = new List<double[]>();
        foreach (var y in choices)
        {
            var o = new double[3];
            for (int i = 0; i < 3; i++) o[i] = V[i, 0] * y[0] + V[i, 1] * y[1] + V[i, 2] * y[2];
            result.Add(o);
        }
        return result;
    }

    private static void SwapRows(int[,] a, double[] b, int i, int j)
    {
        if (i == j) return;
        for (int k = 0; k < 3; k++) (a[i, k], a[j, k]) = (a[j, k], a[i, k]);
        (b[i], b[j]) = (b[j], b[i]);
    }

    private static void SwapColumns(int[,] a, int[,] v, int i, int j)
    {
        if (i == j) return;
        for (int k = 0; k < a.GetLength(0); k++) (a[k, i], a[k, j]) = (a[k, j], a[k, i]);
        for (int k = 0; k < 3; k++) (v[k, i], v[k, j]) = (v[k, j], v[k, i]);
    }
}
