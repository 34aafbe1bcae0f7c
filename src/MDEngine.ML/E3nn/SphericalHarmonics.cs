using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// Real spherical harmonics with e3nn's conventions, as explicit polynomials of the unit vector up to l = 3:
/// normalize=True, normalization="component" (|Y^l|² = 2l+1 on the sphere), Y^1 = √3 (x, y, z), and y as the polar
/// axis of the higher degrees (e3nn's harmonics equal the textbook real ones evaluated at (y, z, x)).
/// Output columns: l = 0, then the 3 of l = 1, the 5 of l = 2, the 7 of l = 3.
/// </summary>
public static class SphericalHarmonics
{
    public const int MaxL = 3;

    public static Tensor Compute(Tensor vectors, int lmax)
    {
        if (lmax < 0 || lmax > MaxL) throw new NotSupportedException($"spherical harmonics are implemented up to l = {MaxL}, the model asks for {lmax}");
        // e3nn normalises with torch.nn.functional.normalize: v / max(|v|, 1e-12).
        var norm = vectors.norm(1, keepdim: true).clamp_min(1e-12);
        var u = vectors / norm;
        var x = u[TensorIndex.Ellipsis, 0];
        var y = u[TensorIndex.Ellipsis, 1];
        var z = u[TensorIndex.Ellipsis, 2];
        var columns = new List<Tensor> { ones_like(x) };
        if (lmax >= 1)
        {
            double s3 = Math.Sqrt(3);
            columns.Add(s3 * x); columns.Add(s3 * y); columns.Add(s3 * z);
        }
        if (lmax >= 2)
        {
            double s15 = Math.Sqrt(15), s5 = Math.Sqrt(5);
            var y2 = y * y;
            var x2z2 = x * x + z * z;
            var sh20 = s15 * x * z;
            var sh24 = 0.5 * s15 * (z * z - x * x);
            columns.Add(sh20);
            columns.Add(s15 * x * y);
            columns.Add(s5 * (y2 - 0.5 * x2z2));
            columns.Add(s15 * y * z);
            columns.Add(sh24);
            if (lmax >= 3)
            {
                double s42 = Math.Sqrt(42) / 6, s7 = Math.Sqrt(7), s168 = Math.Sqrt(168) / 8;
                columns.Add(s42 * (sh20 * z + sh24 * x));
                columns.Add(s7 * sh20 * y);
                columns.Add(s168 * (4.0 * y2 - x2z2) * x);
                columns.Add(0.5 * s7 * y * (2.0 * y2 - 3.0 * x2z2));
                columns.Add(s168 * z * (4.0 * y2 - x2z2));
                columns.Add(s7 * sh24 * y);
                columns.Add(s42 * (sh24 * z - sh20 * x));
            }
        }
        return stack(columns, -1);
    }
}
