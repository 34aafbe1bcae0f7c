using System.Collections.Concurrent;
using System.Numerics;

namespace MDEngine.ML.E3nn;

/// <summary>
/// Real Wigner D matrices D^l(R) of SO(3) in e3nn's real basis (e3nn <c>o3/_wigner.py</c>, 0.5 and later), the basis
/// of <see cref="SphericalHarmonics"/>: Y^l(R r) = D^l(R) Y^l(r), and D^1(R) = R.
///
/// Construction. The complex angular-momentum generators of spin l in the |l, m⟩ basis (m = −l..l) are
///   J₊ (raising, below the diagonal): ⟨m+1|J₊|m⟩ = −√(l(l+1) − m(m+1)),
///   J₋ (lowering, above the diagonal): ⟨m−1|J₋|m⟩ = √(l(l+1) − m(m−1)),
///   X₀ = ½(J₊ + J₋),  X₁ = i·diag(m),  X₂ = −(i/2)(J₊ − J₋).
/// The real basis is reached with Q (<see cref="RealToComplex"/>): the real generators are Q† X_k Q. In e3nn's
/// real basis X₁ generates rotations about y and X₀ rotations about x, so with R(α, β, γ) = R_y(α) R_x(β) R_y(γ)
///   D^l(α, β, γ) = exp(α X₁) exp(β X₀) exp(γ X₁).
/// A reflection (det R = −1) acts on an irrep of parity p as p·D^l(−R) (see <see cref="IrrepsRotation"/>).
/// </summary>
public static class WignerD
{
    private static readonly ConcurrentDictionary<int, double[][,]> Generators = new();

    /// <summary>
    /// Q[l+m, ·], the change of basis from the real harmonics to the complex ones (rows: complex m, columns: real
    /// index), times (−i)^l so that the Clebsch–Gordan coefficients come out real:
    ///   m &lt; 0: Q[m, |m|] = 1/√2, Q[m, −|m|] = −i/√2;  Q[0, 0] = 1;
    ///   m &gt; 0: Q[m, m] = (−1)^m/√2, Q[m, −m] = i(−1)^m/√2.
    /// </summary>
    public static Complex[,] RealToComplex(int l)
    {
        int d = 2 * l + 1;
        var q = new Complex[d, d];
        double s = 1 / Math.Sqrt(2);
        for (int m = -l; m < 0; m++)
        {
            q[l + m, l - m] = s;
            q[l + m, l + m] = new Complex(0, -s);
        }
        q[l, l] = 1;
        for (int m = 1; m <= l; m++)
        {
            double sign = m % 2 == 0 ? 1 : -1;
            q[l + m, l + m] = sign * s;
            q[l + m, l - m] = new Complex(0, sign * s);
        }
        var phase = Complex.Pow(new Complex(0, -1), l);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) q[i, j] *= phase;
        return q;
    }

    /// <summary>The three real generators Q† X_k Q (k = 0: about x, 1: about y, 2: about z), each (2l+1)×(2l+1).</summary>
    public static double[][,] So3Generators(int l)
    {
        if (l < 0) throw new ArgumentOutOfRangeException(nameof(l));
        return Generators.GetOrAdd(l, Build);

        static double[][,] Build(int l)
        {
            int d = 2 * l + 1;
            var raising = new Complex[d, d];
            var lowering = new Complex[d, d];
            for (int i = 0; i < d - 1; i++)
            {
                double m = -l + i;                          // raising: column m, row m + 1
                raising[i + 1, i] = -Math.Sqrt(l * (l + 1) - m * (m + 1));
                double mp = -l + 1 + i;                     // lowering: column m', row m' − 1
                lowering[i, i + 1] = Math.Sqrt(l * (l + 1) - mp * (mp - 1));
            }
            var x = new Complex[3][,];
            x[0] = new Complex[d, d]; x[1] = new Complex[d, d]; x[2] = new Complex[d, d];
            for (int i = 0; i < d; i++)
            {
                x[1][i, i] = new Complex(0, -l + i);
                for (int j = 0; j < d; j++)
                {
                    x[0][i, j] = 0.5 * (raising[i, j] + lowering[i, j]);
                    x[2][i, j] = new Complex(0, -0.5) * (raising[i, j] - lowering[i, j]);
                }
            }
            var q = RealToComplex(l);
            var result = new double[3][,];
            for (int k = 0; k < 3; k++)
            {
                var real = new double[d, d];
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++)
                    {
                        Complex sum = 0;
                        for (int i = 0; i < d; i++)
                            for (int j = 0; j < d; j++) sum += Complex.Conjugate(q[i, a]) * x[k][i, j] * q[j, b];
                        if (Math.Abs(sum.Imaginary) > 1e-10) throw new InvalidOperationException("the real generators came out complex");
                        real[a, b] = sum.Real;
                    }
                result[k] = real;
            }
            // e3nn's index 2 is "−y (usually)" in the complex basis; in the real basis it is the generator about z.
            return result;
        }
    }

    /// <summary>D^l(α, β, γ) = exp(α X₁) exp(β X₀) exp(γ X₁), the matrix of R_y(α) R_x(β) R_y(γ).</summary>
    public static double[,] FromAngles(int l, double alpha, double beta, double gamma)
    {
        var x = So3Generators(l);
        return Rotations.Multiply(Rotations.Multiply(Exp(x[1], alpha), Exp(x[0], beta)), Exp(x[1], gamma));
    }

    /// <summary>D^l(R) of a proper rotation matrix, through its Euler angles (<see cref="Rotations.MatrixToAngles"/>).</summary>
    public static double[,] FromMatrix(int l, double[,] r)
    {
        var (a, b, c) = Rotations.MatrixToAngles(r);
        return FromAngles(l, a, b, c);
    }

    /// <summary>exp(t·X) of a real antisymmetric generator, by scaling and squaring a Taylor series.</summary>
    internal static double[,] Exp(double[,] x, double t)
    {
        int d = x.GetLength(0);
        t = Math.IEEERemainder(t, 2 * Math.PI);          // exp(2π X) = 1 for integer l
        double norm = 0;
        for (int i = 0; i < d; i++)
        {
            double row = 0;
            for (int j = 0; j < d; j++) row += Math.Abs(t * x[i, j]);
            norm = Math.Max(norm, row);
        }
        int squarings = norm > 0.25 ? (int)Math.Ceiling(Math.Log2(norm / 0.25)) : 0;
        double scale = t / Math.Pow(2, squarings);
        var a = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) a[i, j] = scale * x[i, j];
        var result = new double[d, d];
        var term = new double[d, d];
        for (int i = 0; i < d; i++) { result[i, i] = 1; term[i, i] = 1; }
        for (int k = 1; k <= 18; k++)
        {
            term = Rotations.Multiply(term, a);
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) { term[i, j] /= k; result[i, j] += term[i, j]; }
        }
        for (int s = 0; s < squarings; s++) result = Rotations.Multiply(result, result);
        return result;
    }
}
