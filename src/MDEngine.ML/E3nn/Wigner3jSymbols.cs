using System.Collections.Concurrent;
using System.Numerics;

namespace MDEngine.ML.E3nn;

/// <summary>
/// Wigner 3j symbols of SO(3) in e3nn's real basis and phase, computed (e3nn <c>o3.wigner_3j</c>, 0.5 and later):
///
///   C^real[a, b, c] = Σ_{i,k,n} Q₁[i, a] Q₂[k, b] conj(Q₃[n, c]) ⟨l₁ m_i; l₂ m_k | l₃ m_n⟩,  then C ← C / ‖C‖,
///
/// with Q the real-to-complex change of basis of <see cref="WignerD.RealToComplex"/> (the (−i)^l factor makes C real)
/// and ⟨·|·⟩ the complex Clebsch–Gordan coefficients from Racah's formula
///
///   ⟨j₁ m₁; j₂ m₂ | j₃ m₃⟩ = δ(m₃, m₁+m₂) √[(2j₃+1) (j₃+j₁−j₂)! (j₃−j₁+j₂)! (j₁+j₂−j₃)! (j₃+m₃)! (j₃−m₃)!
///                              / ((j₁+j₂+j₃+1)! (j₁−m₁)! (j₁+m₁)! (j₂−m₂)! (j₂+m₂)!)]
///                          · Σ_v (−1)^(v+j₂+m₂) (j₂+j₃+m₁−v)! (j₁−m₁+v)! / (v! (j₃−j₁+j₂−v)! (j₃+m₃−v)! (v+j₁−j₂−m₃)!),
///
/// evaluated in exact rational arithmetic. The result satisfies C·(D^{l₁} ⊗ D^{l₂}) = D^{l₃}·C (written as
/// C_{ijk} D¹_{il} D²_{jm} D³_{kn} = C_{lmn}) and Σ C² = 1. The blocks are laid out [2l₁+1, 2l₂+1, 2l₃+1], row major.
/// This is e3nn 0.5's construction; the blocks equal those stored in the committed MACE fixtures (written with
/// e3nn 0.5.0). e3nn 0.4 shipped precomputed constants with a different phase convention, so a model trained with it
/// is to be run with the blocks stored in its file (<see cref="Wigner3j"/>).
/// </summary>
public static class Wigner3jSymbols
{
    private static readonly ConcurrentDictionary<(int, int, int), double[]> Cache = new();

    /// <summary>True when (l₁, l₂, l₃) satisfy the triangle inequality |l₁ − l₂| ≤ l₃ ≤ l₁ + l₂.</summary>
    public static bool IsTriangle(int l1, int l2, int l3) => l1 >= 0 && l2 >= 0 && l3 >= Math.Abs(l1 - l2) && l3 <= l1 + l2;

    /// <summary>The block C[l₁, l₂, l₃] (a fresh copy), shape (2l₁+1, 2l₂+1, 2l₃+1) row major.</summary>
    public static double[] Compute(int l1, int l2, int l3)
    {
        if (!IsTriangle(l1, l2, l3)) throw new ArgumentException($"({l1}, {l2}, {l3}) violates the triangle inequality");
        return (double[])Cache.GetOrAdd((l1, l2, l3), key => Build(key.Item1, key.Item2, key.Item3)).Clone();
    }

    /// <summary>A <see cref="Wigner3j"/> source that computes every block instead of reading it from a model file.</summary>
    public static Wigner3j Source() => new((l1, l2, l3) => IsTriangle(l1, l2, l3) ? Compute(l1, l2, l3) : null);

    private static double[] Build(int l1, int l2, int l3)
    {
        int d1 = 2 * l1 + 1, d2 = 2 * l2 + 1, d3 = 2 * l3 + 1;
        var cg = new double[d1, d2, d3];
        for (int m1 = -l1; m1 <= l1; m1++)
            for (int m2 = -l2; m2 <= l2; m2++)
                if (Math.Abs(m1 + m2) <= l3) cg[l1 + m1, l2 + m2, l3 + m1 + m2] = ClebschGordan(l1, m1, l2, m2, l3, m1 + m2);
        var q1 = WignerD.RealToComplex(l1);
        var q2 = WignerD.RealToComplex(l2);
        var q3 = WignerD.RealToComplex(l3);
        var c = new double[d1 * d2 * d3];
        double norm = 0;
        for (int a = 0; a < d1; a++)
            for (int b = 0; b < d2; b++)
                for (int e = 0; e < d3; e++)
                {
                    Complex sum = 0;
                    for (int i = 0; i < d1; i++)
                    {
                        if (q1[i, a] == Complex.Zero) continue;
                        for (int k = 0; k < d2; k++)
                        {
                            if (q2[k, b] == Complex.Zero) continue;
                            int n = i - l1 + k - l2 + l3;            // m_n = m_i + m_k
                            if (n < 0 || n >= d3 || cg[i, k, n] == 0) continue;
                            sum += q1[i, a] * q2[k, b] * Complex.Conjugate(q3[n, e]) * cg[i, k, n];
                        }
                    }
                    if (Math.Abs(sum.Imaginary) > 1e-10) throw new InvalidOperationException($"the real 3j block ({l1}, {l2}, {l3}) came out complex");
                    c[(a * d2 + b) * d3 + e] = sum.Real;
                    norm += sum.Real * sum.Real;
                }
        norm = Math.Sqrt(norm);
        for (int k = 0; k < c.Length; k++) c[k] /= norm;
        return c;
    }

    /// <summary>⟨j₁ m₁; j₂ m₂ | j₃ m₃⟩ by Racah's formula, exact rationals until the final square root.</summary>
    public static double ClebschGordan(int j1, int m1, int j2, int m2, int j3, int m3)
    {
        if (m3 != m1 + m2) return 0;
        int vmin = Math.Max(Math.Max(-j1 + j2 + m3, -j1 + m1), 0);
        int vmax = Math.Min(Math.Min(j2 + j3 + m1, j3 - j1 + j2), j3 + m3);
        BigInteger num = (2 * j3 + 1) * F(j3 + j1 - j2) * F(j3 - j1 + j2) * F(j1 + j2 - j3) * F(j3 + m3) * F(j3 - m3);
        BigInteger den = F(j1 + j2 + j3 + 1) * F(j1 - m1) * F(j1 + m1) * F(j2 - m2) * F(j2 + m2);
        // S = Σ_v (−1)^(v+j2+m2) A_v / B_v, summed over a common denominator.
        BigInteger sNum = 0, sDen = 1;
        for (int v = vmin; v <= vmax; v++)
        {
            BigInteger a = F(j2 + j3 + m1 - v) * F(j1 - m1 + v);
            BigInteger b = F(v) * F(j3 - j1 + j2 - v) * F(j3 + m3 - v) * F(v + j1 - j2 - m3);
            if ((v + j2 + m2) % 2 != 0) a = -a;
            sNum = sNum * b + a * sDen;
            sDen *= b;
            var g = BigInteger.GreatestCommonDivisor(sNum, sDen);
            if (!g.IsZero && !g.IsOne) { sNum /= g; sDen /= g; }
        }
        if (sNum.IsZero) return 0;
        // C = √(num/den) · sNum/sDen = sign · √(num · sNum² / (den · sDen²)).
        BigInteger top = num * sNum * sNum, bottom = den * sDen * sDen;
        var g2 = BigInteger.GreatestCommonDivisor(top, bottom);
        top /= g2; bottom /= g2;
        double ratio = (double)top / (double)bottom;
        if (double.IsInfinity(ratio) || double.IsNaN(ratio) || ratio == 0) ratio = Math.Exp(BigInteger.Log(top) - BigInteger.Log(bottom));
        double value = Math.Sqrt(ratio);
        return sNum.Sign * value;
    }

    private static BigInteger F(int n)
    {
        if (n < 0) throw new ArgumentException("negative factorial");
        BigInteger r = BigInteger.One;
        for (int k = 2; k <= n; k++) r *= k;
        return r;
    }
}
