using MDEngine.ML.E3nn;

namespace MDEngine.ML.Kernels;

/// <summary>
/// The real spherical harmonics up to l = 3 of an edge vector as a <see cref="RowFunction"/>, [E, 3] → [E, (l+1)²]:
/// the polynomials of <see cref="SphericalHarmonics"/> (e3nn's conventions, normalize=True, component normalisation)
/// written on <see cref="Dual3"/> numbers, so that one evaluation per edge gives the harmonics and their gradient with
/// respect to the vector, normalisation included.
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

    public override void Evaluate(ReadOnlySpan<double> v, Span<Dual3> h)
    {
        var vx = Dual3.Variable(v[0], 0); var vy = Dual3.Variable(v[1], 1); var vz = Dual3.Variable(v[2], 2);
        // e3nn normalises with torch.nn.functional.normalize: v / max(|v|, 1e-12).
        var norm = Dual3.Sqrt(vx * vx + vy * vy + vz * vz);
        if (norm.V < 1e-12) norm = Dual3.Constant(1e-12);
        var x = vx / norm; var y = vy / norm; var z = vz / norm;
        h[0] = Dual3.Constant(1);
        if (_lmax < 1) return;
        h[1] = S3 * x; h[2] = S3 * y; h[3] = S3 * z;
        if (_lmax < 2) return;
        var y2 = y * y;
        var x2z2 = x * x + z * z;
        var sh20 = S15 * x * z;
        var sh24 = 0.5 * S15 * (z * z - x * x);
        h[4] = sh20;
        h[5] = S15 * x * y;
        h[6] = S5 * (y2 - 0.5 * x2z2);
        h[7] = S15 * y * z;
        h[8] = sh24;
        if (_lmax < 3) return;
        h[9] = S42 * (sh20 * z + sh24 * x);
        h[10] = S7 * sh20 * y;
        h[11] = S168 * (4.0 * y2 - x2z2) * x;
        h[12] = 0.5 * S7 * y * (2.0 * y2 - 3.0 * x2z2);
        h[13] = S168 * z * (4.0 * y2 - x2z2);
        h[14] = S7 * sh24 * y;
        h[15] = S42 * (sh24 * z - sh20 * x);
    }
}
