using System.Numerics;
using System.Runtime.CompilerServices;
using MDEngine.ML.E3nn;

namespace MDEngine.ML.Kernels;

/// <summary>
/// The real spherical harmonics up to l = 3 of an edge vector as a <see cref="RowFunction"/>, [E, 3] → [E, (l+1)²]:
/// the polynomials of <see cref="SphericalHarmonics"/> (e3nn's conventions, normalize=True, component normalisation)
/// and their partial derivatives written out, so that a pass over the edges gives the harmonics, and one in reverse
/// their gradient with respect to the vector, normalisation included.
/// </summary>
internal sealed class SphericalHarmonicsRows : RowFunction
{
    private static readonly double S3 = Math.Sqrt(3), S15 = Math.Sqrt(15), S5 = Math.Sqrt(5);
    private static readonly double S42 = Math.Sqrt(42) / 6, S7 = Math.Sqrt(7), S168 = Math.Sqrt(168) / 8;

    private readonly int _lmax;

    public SphericalHarmonicsRows(int lmax)
    {
        if (lmax < 0 || lmax > SphericalHarmonics.MaxPolynomialL) throw new ArgumentOutOfRangeException(nameof(lmax), $"the row form covers l ≤ {SphericalHarmonics.MaxPolynomialL}");
        _lmax = lmax;
    }

    public override int Inputs => 3;
    public override int Outputs => (_lmax + 1) * (_lmax + 1);

    /// <summary>
    /// Y from the unit vector u = v/|v| (|v| at least 1e-12, as e3nn's normalize), and in the reverse pass
    /// G = Σ_m gY_m ∂Y_m/∂u (the polynomials' partial derivatives, through the same intermediate terms as
    /// <see cref="Values"/>), then ∂L/∂v = (G − (G·u) u)/|v|, the derivative of the normalisation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override unsafe void Chunk<T>(T* v, T* y, T* gy, int first, int end)
    {
        int outputs = Outputs;
        Span<double> h = stackalloc double[16];
        for (long r = first; r < end; r++)
        {
            double vx = double.CreateTruncating(v[3 * r]), vy = double.CreateTruncating(v[3 * r + 1]), vz = double.CreateTruncating(v[3 * r + 2]);
            double length = Math.Sqrt(vx * vx + vy * vy + vz * vz), norm = Math.Max(length, 1e-12);
            double x = vx / norm, yy = vy / norm, z = vz / norm;
            if (gy == null)
            {
                Values(x, yy, z, h);
                for (int m = 0; m < outputs; m++) y[r * outputs + m] = T.CreateTruncating(h[m]);
                continue;
            }
            for (int m = 0; m < outputs; m++) h[m] = double.CreateTruncating(gy[r * outputs + m]);
            var (gx, gyy, gz) = UnitGradient(x, yy, z, h);
            if (length >= 1e-12)
            {
                double along = gx * x + gyy * yy + gz * z; // the radial part, which the normalisation removes
                gx -= along * x; gyy -= along * yy; gz -= along * z;
            }
            y[3 * r] = T.CreateTruncating(gx / norm); y[3 * r + 1] = T.CreateTruncating(gyy / norm); y[3 * r + 2] = T.CreateTruncating(gz / norm);
        }
    }

    /// <summary>Y_0 … Y_(lmax+1)²−1 of the unit vector (x, y, z) into h.</summary>
    private void Values(double x, double y, double z, Span<double> h)
    {
        h[0] = 1;
        if (_lmax < 1) return;
        h[1] = S3 * x; h[2] = S3 * y; h[3] = S3 * z;
        if (_lmax < 2) return;
        double y2 = y * y, x2z2 = x * x + z * z, sh20 = S15 * x * z, sh24 = 0.5 * S15 * (z * z - x * x);
        h[4] = sh20; h[5] = S15 * x * y; h[6] = S5 * (y2 - 0.5 * x2z2); h[7] = S15 * y * z; h[8] = sh24;
        if (_lmax < 3) return;
        double q = 4.0 * y2 - x2z2;
        h[9] = S42 * (sh20 * z + sh24 * x);
        h[10] = S7 * sh20 * y;
        h[11] = S168 * q * x;
        h[12] = 0.5 * S7 * y * (2.0 * y2 - 3.0 * x2z2);
        h[13] = S168 * z * q;
        h[14] = S7 * sh24 * y;
        h[15] = S42 * (sh24 * z - sh20 * x);
    }

    /// <summary>G = Σ_m g_m ∂Y_m/∂(x, y, z) at the unit vector, for the gradients g of the outputs.</summary>
    private (double X, double Y, double Z) UnitGradient(double x, double y, double z, ReadOnlySpan<double> g)
    {
        if (_lmax < 1) return (0, 0, 0);
        double gx = S3 * g[1], gy = S3 * g[2], gz = S3 * g[3];
        if (_lmax < 2) return (gx, gy, gz);
        // ∂sh20 = √15 (z, 0, x), ∂sh24 = √15 (−x, 0, z).
        gx += S15 * (z * g[4] + y * g[5] - x * g[8]) - S5 * x * g[6];
        gy += S15 * (x * g[5] + z * g[7]) + 2.0 * S5 * y * g[6];
        gz += S15 * (x * g[4] + y * g[7] + z * g[8]) - S5 * z * g[6];
        if (_lmax < 3) return (gx, gy, gz);
        double y2 = y * y, x2z2 = x * x + z * z, sh20 = S15 * x * z, sh24 = 0.5 * S15 * (z * z - x * x);
        double q = 4.0 * y2 - x2z2, p = 2.0 * y2 - 3.0 * x2z2; // ∂q = (−2x, 8y, −2z), ∂p = (−6x, 4y, −6z)
        // Each Y_m's gradient: the product rule over the terms of Values.
        double g9 = S42 * g[9], g10 = S7 * g[10], g11 = S168 * g[11], g12 = 0.5 * S7 * g[12], g13 = S168 * g[13], g14 = S7 * g[14], g15 = S42 * g[15];
        // h9 = S42 (sh20 z + sh24 x)
        gx += g9 * (S15 * z * z - S15 * x * x + sh24);
        gz += g9 * (S15 * x * z + sh20 + S15 * z * x);
        // h10 = √7 sh20 y
        gx += g10 * S15 * z * y; gy += g10 * sh20; gz += g10 * S15 * x * y;
        // h11 = S168 q x
        gx += g11 * (-2.0 * x * x + q); gy += g11 * 8.0 * y * x; gz += g11 * (-2.0 * z * x);
        // h12 = ½√7 y p
        gx += g12 * (-6.0 * x * y); gy += g12 * (p + 4.0 * y2); gz += g12 * (-6.0 * z * y);
        // h13 = S168 z q
        gx += g13 * (-2.0 * x * z); gy += g13 * 8.0 * y * z; gz += g13 * (q - 2.0 * z * z);
        // h14 = √7 sh24 y
        gx += g14 * (-S15 * x * y); gy += g14 * sh24; gz += g14 * S15 * z * y;
        // h15 = S42 (sh24 z − sh20 x)
        gx += g15 * (-S15 * x * z - sh20 - S15 * z * x);
        gz += g15 * (S15 * z * z + sh24 - S15 * x * x);
        return (gx, gy, gz);
    }
}
