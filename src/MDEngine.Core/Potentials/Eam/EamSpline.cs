namespace MDEngine.Potentials.Eam;

/// <summary>
/// LAMMPS's EAM cubic interpolation of a function tabulated at x_m = (m−1)·δ, m = 1..n. Per interval it keeps seven
/// coefficients: [0..2] for the derivative (3c₃/δ, 2c₂/δ, c₁/δ) and [3..6] for the value (c₃, c₂, c₁, c₀) of
/// f = ((c₃p + c₂)p + c₁)p + c₀ with p ∈ [0, 1] the fraction of the interval. The slopes c₁ are the five-point
/// central differences (f_{m−2} − f_{m+2} + 8(f_{m+1} − f_{m−1}))/12, one-sided at the ends; c₂ and c₃ make the cubic
/// meet the next point with the next slope. The last point gets c₂ = c₃ = 0.
/// </summary>
internal static class EamSpline
{
    public const int Stride = 7;

    /// <summary>Coefficients for f[1..n] in a flat array of (n+1)·7 values: point m at m·7.</summary>
    public static double[] Build(ReadOnlySpan<double> f, int n, double delta)
    {
        var s = new double[(n + 1) * Stride];
        ref double C(int m, int k) => ref s[m * Stride + k];
        for (int m = 1; m <= n; m++) C(m, 6) = f[m];
        C(1, 5) = C(2, 6) - C(1, 6);
        C(2, 5) = 0.5 * (C(3, 6) - C(1, 6));
        C(n - 1, 5) = 0.5 * (C(n, 6) - C(n - 2, 6));
        C(n, 5) = C(n, 6) - C(n - 1, 6);
        for (int m = 3; m <= n - 2; m++)
            C(m, 5) = ((C(m - 2, 6) - C(m + 2, 6)) + 8.0 * (C(m + 1, 6) - C(m - 1, 6))) / 12.0;
        for (int m = 1; m <= n - 1; m++)
        {
            C(m, 4) = 3.0 * (C(m + 1, 6) - C(m, 6)) - 2.0 * C(m, 5) - C(m + 1, 5);
            C(m, 3) = C(m, 5) + C(m + 1, 5) - 2.0 * (C(m + 1, 6) - C(m, 6));
        }
        C(n, 4) = 0.0;
        C(n, 3) = 0.0;
        for (int m = 1; m <= n; m++)
        {
            C(m, 2) = C(m, 5) / delta;
            C(m, 1) = 2.0 * C(m, 4) / delta;
            C(m, 0) = 3.0 * C(m, 3) / delta;
        }
        return s;
    }

    /// <summary>LAMMPS's re-gridding of a funcfl table (1-based, n points, step h) at x: a four-point Lagrange
    /// interpolation around the enclosing interval, clamped to the table.</summary>
    public static double Lagrange4(ReadOnlySpan<double> table, int n, double h, double x)
    {
        const double sixth = 1.0 / 6.0;
        double p = x / h + 1.0;
        int k = (int)p;
        k = Math.Min(k, n - 2);
        k = Math.Max(k, 2);
        p -= k;
        p = Math.Min(p, 2.0);
        double c1 = -sixth * p * (p - 1.0) * (p - 2.0);
        double c2 = 0.5 * (p * p - 1.0) * (p - 2.0);
        double c3 = -0.5 * p * (p + 1.0) * (p - 2.0);
        double c4 = sixth * p * (p * p - 1.0);
        return c1 * table[k - 1] + c2 * table[k] + c3 * table[k + 1] + c4 * table[k + 2];
    }
}
