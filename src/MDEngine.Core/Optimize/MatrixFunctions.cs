using MDEngine.Geometry;

namespace MDEngine.Optimize;

/// <summary>
/// Matrix exponential, its Fréchet derivative and the matrix logarithm for the small matrices of cell relaxation.
/// exp uses scaling and squaring with a Taylor series (the scaled norm is ≤ 1/4, so 20 terms reach round-off);
/// the Fréchet derivative L(A, E) is the upper-right block of exp([[A, E], [0, A]]) (Higham, Functions of
/// Matrices, 2008, eq. 3.16); log uses inverse scaling and squaring: Denman–Beavers square roots until the
/// matrix is near the identity, then the Gregory series of log((I+Y)/(I−Y)) scaled back by 2^k.
/// </summary>
public static class MatrixFunctions
{
    public static Mat3 Exp(Mat3 a) => ToMat3(Exp(ToArray(a), 3));

    /// <summary>Fréchet derivative of exp at <paramref name="a"/> in direction <paramref name="e"/>.</summary>
    public static Mat3 ExpFrechet(Mat3 a, Mat3 e)
    {
        var block = new double[36];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                block[i * 6 + j] = a[i, j];
                block[(i + 3) * 6 + j + 3] = a[i, j];
                block[i * 6 + j + 3] = e[i, j];
            }
        var x = Exp(block, 6);
        var r = new Mat3();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) r[i, j] = x[i * 6 + j + 3];
        return r;
    }

    /// <summary>Principal logarithm of a matrix with no eigenvalues on the closed negative real axis.</summary>
    public static Mat3 Log(Mat3 m)
    {
        int k = 0;
        var x = m;
        // Square roots until ‖X − I‖ is small: log(M) = 2^k log(M^(1/2^k)).
        while ((x - Mat3.Identity).MaxAbs() > 0.05)
        {
            if (++k > 60) throw new ArgumentException("Matrix logarithm did not converge (eigenvalue on the negative real axis?).");
            x = Sqrt(x);
        }
        // log(X) = 2 atanh(Z) with Z = (X − I)(X + I)⁻¹ = 2 Σ Z^(2n+1)/(2n+1); ‖Z‖ ≲ 0.03 so 12 terms suffice.
        var z = (x - Mat3.Identity) * (x + Mat3.Identity).Inverse();
        var z2 = z * z;
        var term = z;
        var sum = z;
        for (int n = 1; n < 12; n++)
        {
            term = term * z2;
            sum = sum + (1.0 / (2 * n + 1)) * term;
        }
        return Math.Pow(2, k + 1) * sum;
    }

    /// <summary>Principal square root by the Denman–Beavers iteration.</summary>
    public static Mat3 Sqrt(Mat3 a)
    {
        var y = a;
        var z = Mat3.Identity;
        for (int it = 0; it < 100; it++)
        {
            var yi = y.Inverse();
            var zi = z.Inverse();
            var yNext = 0.5 * (y + zi);
            var zNext = 0.5 * (z + yi);
            double change = (yNext - y).MaxAbs();
            y = yNext; z = zNext;
            if (change <= 1e-15 * Math.Max(1.0, y.MaxAbs())) break;
        }
        return y;
    }

    private static double[] Exp(double[] a, int n)
    {
        double norm = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0;
            for (int j = 0; j < n; j++) row += Math.Abs(a[i * n + j]);
            norm = Math.Max(norm, row);
        }
        int squarings = norm > 0.25 ? (int)Math.Ceiling(Math.Log2(norm / 0.25)) : 0;
        double scale = Math.Pow(2, -squarings);
        var x = new double[n * n];
        for (int i = 0; i < x.Length; i++) x[i] = a[i] * scale;
        // Taylor series Σ X^k/k!, Horner form: I + X(I + X/2(I + X/3(...))).
        var result = Identity(n);
        for (int k = 20; k >= 1; k--)
        {
            var product = Multiply(x, result, n);
            for (int i = 0; i < product.Length; i++) product[i] /= k;
            for (int i = 0; i < n; i++) product[i * n + i] += 1.0;
            result = product;
        }
        for (int s = 0; s < squarings; s++) result = Multiply(result, result, n);
        return result;
    }

    private static double[] Identity(int n)
    {
        var r = new double[n * n];
        for (int i = 0; i < n; i++) r[i * n + i] = 1;
        return r;
    }

    private static double[] Multiply(double[] a, double[] b, int n)
    {
        var r = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
            {
                double aik = a[i * n + k];
                if (aik == 0) continue;
                for (int j = 0; j < n; j++) r[i * n + j] += aik * b[k * n + j];
            }
        return r;
    }

    private static double[] ToArray(Mat3 m) => m.ToArray();
    private static Mat3 ToMat3(double[] a) => Mat3.FromArray(a);
}
