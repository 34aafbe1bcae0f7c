using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// Real spherical harmonics with e3nn's conventions, of any degree: normalize=True, normalization="component"
/// (|Y^l|² = 2l+1 on the sphere), Y^1 = √3 (x, y, z), and y as the polar axis of the higher degrees (e3nn's
/// harmonics equal the textbook real ones evaluated at (y, z, x)). Up to l = 3 they are explicit polynomials; above,
/// each degree follows from the one below by the Clebsch–Gordan recursion Y^{l+1} = c_l C^{(l,1,l+1)}·(Y^l ⊗ Y^1)
/// (the coupled product of two harmonics of one point is a harmonic of that point), c_l fixed so that Y^{l+1}(ŷ)
/// equals √(2l+3) times the middle column of the Wigner D matrix (<see cref="S2Grid.Harmonics"/>), which sets both
/// the normalisation and e3nn's sign. Output columns: l = 0, then the 3 of l = 1, the 5 of l = 2, and so on.
/// </summary>
public static class SphericalHarmonics
{
    /// <summary>The degree up to which the explicit polynomials are used.</summary>
    public const int MaxPolynomialL = 3;

    /// <summary>The largest degree this class computes (the recursion holds beyond; the bound keeps the 3j tables small).</summary>
    public const int MaxL = 12;

    private static readonly Dictionary<int, (double[] Coupling, double Scale)> Recursion = [];
    private static readonly Lock RecursionLock = new();

    public static Tensor Compute(Tensor vectors, int lmax)
    {
        if (lmax < 0 || lmax > MaxL) throw new NotSupportedException($"spherical harmonics are implemented up to l = {MaxL}, not {lmax}");
        var low = Polynomials(vectors, Math.Min(lmax, MaxPolynomialL));
        if (lmax <= MaxPolynomialL) return low;
        var blocks = new List<Tensor> { low };
        var y1 = low.narrow(-1, 1, 3);
        var yl = low.narrow(-1, (MaxPolynomialL) * (MaxPolynomialL), 2 * MaxPolynomialL + 1);
        for (int l = MaxPolynomialL; l < lmax; l++)
        {
            var (coupling, scale) = RecursionStep(l);
            var c = tensor(coupling, [2 * l + 1, 3, 2 * l + 3], ScalarType.Float64).to(vectors.dtype, vectors.device);
            yl = scale * einsum("...i,...j,ijk->...k", yl, y1, c);
            blocks.Add(yl);
        }
        return cat(blocks.ToArray(), -1);
    }

    /// <summary>C^{(l,1,l+1)} and the factor c_l of the recursion to degree l + 1.</summary>
    private static (double[] Coupling, double Scale) RecursionStep(int l)
    {
        lock (RecursionLock)
        {
            if (Recursion.TryGetValue(l, out var step)) return step;
            var coupling = Wigner3jSymbols.Compute(l, 1, l + 1);
            // At ŷ (α = β = 0): the reference harmonics, and the coupled product of the degree-l and degree-1 ones.
            var reference = S2Grid.Harmonics(l + 1, 0, 0);
            var yl = reference.AsSpan(l * l, 2 * l + 1);
            var y1 = reference.AsSpan(1, 3);
            var target = reference.AsSpan((l + 1) * (l + 1), 2 * l + 3);
            double dot = 0, norm = 0;
            for (int k = 0; k < 2 * l + 3; k++)
            {
                double v = 0;
                for (int i = 0; i < 2 * l + 1; i++)
                    for (int j = 0; j < 3; j++) v += coupling[(i * 3 + j) * (2 * l + 3) + k] * yl[i] * y1[j];
                dot += v * target[k]; norm += v * v;
            }
            step = (coupling, dot / norm);
            Recursion[l] = step;
            return step;
        }
    }

    private static Tensor Polynomials(Tensor vectors, int lmax)
    {
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
