using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>e3nn's normalisations of a signal on the sphere: n_l = √(4π)/(√(2l+1)√(lmax+1)) ("component", e3nn's
/// default), √(4π)/√(lmax+1) ("norm") or 1 ("integral": ∫ f² dΩ = Σ x²).</summary>
public enum S2Normalization { Component, Norm, Integral }

/// <summary>
/// The (β, α) grid of e3nn's <c>o3/_s2grid.py</c>: β_i = π(i + ½)/N (i &lt; N = res_beta, even), α_j = 2πj/M
/// (j &lt; M = res_alpha), point x_ij = (sin β_i sin α_j, cos β_i, sin β_i cos α_j) (y is the polar axis, so a
/// rotation about y by 2π/M shifts the α axis by one step). A band-limited signal
///   f(x) = Σ_{l ≤ lmax} n_l Σ_m F_lm Y_lm(x)/√(4π)
/// (Y the component-normalised harmonics of <see cref="SphericalHarmonics"/>, Y/√(4π) unit-norm on the sphere) is
/// integrated exactly for lmax + 1 ≤ N/2 and 2·lmax + 1 ≤ M by the Kostelec–Rockmore quadrature
///   ∫ g dΩ ≈ Σ_ij w_i (2π/M) g(x_ij),  w_i = (2/b) sin(π(2i+1)/(4b)) Σ_{k&lt;b} sin((2i+1)(2k+1)π/(4b))/(2k+1),  b = N/2.
/// </summary>
public static class S2Grid
{
    /// <summary>e3nn's <c>_complete_lmax_res</c>: missing values default to res_beta = 2(lmax+1),
    /// res_alpha = max(2 lmax + 1, res_beta − 1), lmax = min(res_beta/2 − 1, (res_alpha − 1)/2).</summary>
    public static (int Lmax, int ResBeta, int ResAlpha) Complete(int? lmax, int? resBeta, int? resAlpha)
    {
        if (resBeta is null)
        {
            if (lmax is not null) resBeta = 2 * (lmax + 1);
            else if (resAlpha is not null) resBeta = 2 * ((resAlpha + 1) / 2);
            else throw new ArgumentException("give lmax or a resolution");
        }
        if (resAlpha is null)
            resAlpha = lmax is not null ? Math.Max(2 * lmax.Value + 1, resBeta.Value - 1) : resBeta - 1;
        lmax ??= Math.Min(resBeta.Value / 2 - 1, (resAlpha.Value - 1) / 2);
        if (resBeta.Value % 2 != 0) throw new ArgumentException($"res_beta = {resBeta} must be even");
        if (lmax.Value + 1 > resBeta.Value / 2) throw new ArgumentException($"res_beta = {resBeta} is too coarse for lmax = {lmax} (needs lmax + 1 ≤ res_beta/2)");
        return (lmax.Value, resBeta.Value, resAlpha.Value);
    }

    public static double[] Betas(int resBeta) => Enumerable.Range(0, resBeta).Select(i => (i + 0.5) / resBeta * Math.PI).ToArray();
    public static double[] Alphas(int resAlpha) => Enumerable.Range(0, resAlpha).Select(j => (double)j / resAlpha * 2 * Math.PI).ToArray();

    /// <summary>The Kostelec–Rockmore weights w_i of the 2b β rings: Σ_i w_i g(β_i) = ∫₀^π g(β) sin β dβ for
    /// g a polynomial of degree &lt; 2b in cos β (so Σ w_i = 2).</summary>
    public static double[] QuadratureWeights(int b) => Enumerable.Range(0, 2 * b).Select(j =>
    {
        double s = 0;
        for (int k = 0; k < b; k++) s += Math.Sin((2 * j + 1) * (2 * k + 1) * Math.PI / (4.0 * b)) / (2 * k + 1);
        return 2.0 / b * Math.Sin(Math.PI * (2 * j + 1) / (4.0 * b)) * s;
    }).ToArray();

    /// <summary>n_l of <see cref="S2Normalization"/> for l = 0..<paramref name="degrees"/> − 1 (default lmax + 1), with the
    /// √(lmax+1) of the signal's band limit <paramref name="lmax"/>.</summary>
    public static double[] Normalization(S2Normalization normalization, int lmax, int? degrees = null) => Enumerable.Range(0, degrees ?? lmax + 1).Select(l => normalization switch
    {
        S2Normalization.Component => Math.Sqrt(4 * Math.PI) / Math.Sqrt(2 * l + 1) / Math.Sqrt(lmax + 1),
        S2Normalization.Norm => Math.Sqrt(4 * Math.PI) / Math.Sqrt(lmax + 1),
        _ => 1.0,
    }).ToArray();

    /// <summary>
    /// Component-normalised real harmonics of every degree ≤ lmax, (lmax+1)² values, at the point of angles (α, β):
    /// Y^l(R ŷ) = D^l(R) Y^l(ŷ) with Y^l(ŷ) = √(2l+1) e_{m=0} and R = R_y(α) R_x(β), so Y^l is √(2l+1) times the
    /// middle column of D^l(α, β, 0). Equal to <see cref="SphericalHarmonics.Compute"/> where both exist.
    /// </summary>
    public static double[] Harmonics(int lmax, double alpha, double beta)
    {
        var result = new double[(lmax + 1) * (lmax + 1)];
        for (int l = 0; l <= lmax; l++)
        {
            var d = WignerD.FromAngles(l, alpha, beta, 0);
            double s = Math.Sqrt(2 * l + 1);
            for (int m = 0; m < 2 * l + 1; m++) result[l * l + m] = s * d[m, l];
        }
        return result;
    }

    /// <summary>[(lmax+1)², N·M]: column (i, j) holds n_l Y_lm(x_ij)/√(4π), times <paramref name="weights"/>[i] when given.</summary>
    internal static double[] Basis(int lmax, int resBeta, int resAlpha, double[] n, double[]? weights)
    {
        int k = (lmax + 1) * (lmax + 1), points = resBeta * resAlpha;
        var basis = new double[k * points];
        var betas = Betas(resBeta);
        var alphas = Alphas(resAlpha);
        for (int i = 0; i < resBeta; i++)
            for (int j = 0; j < resAlpha; j++)
            {
                var y = Harmonics(lmax, alphas[j], betas[i]);
                int column = i * resAlpha + j;
                for (int l = 0; l <= lmax; l++)
                    for (int m = l * l; m < (l + 1) * (l + 1); m++)
                        basis[m * points + column] = n[l] * y[m] / Math.Sqrt(4 * Math.PI) * (weights?[i] ?? 1.0);
            }
        return basis;
    }
}

/// <summary>e3nn's <c>ToS2Grid</c>: coefficients [..., (lmax+1)²] → signal [..., res_beta, res_alpha],
/// f(x_ij) = Σ_lm n_l F_lm Y_lm(x_ij)/√(4π) (see <see cref="S2Grid"/>). e3nn evaluates the α sum with an FFT; this is
/// the same sum as one matrix product.</summary>
public sealed class ToS2Grid
{
    private readonly Tensor _basis; // [(lmax+1)², N·M]

    public int Lmax { get; }
    public int ResBeta { get; }
    public int ResAlpha { get; }

    public ToS2Grid(int lmax, (int Beta, int Alpha)? res = null, S2Normalization normalization = S2Normalization.Component, TensorOptions? options = null)
    {
        (Lmax, ResBeta, ResAlpha) = S2Grid.Complete(lmax, res?.Beta, res?.Alpha);
        options ??= TensorOptions.CpuFloat64;
        _basis = options.Make(S2Grid.Basis(Lmax, ResBeta, ResAlpha, S2Grid.Normalization(normalization, Lmax), null), (Lmax + 1) * (Lmax + 1), ResBeta * ResAlpha);
    }

    public Tensor Forward(Tensor x)
    {
        var size = x.shape[..^1];
        return x.reshape(-1, x.shape[^1]).matmul(_basis).reshape([.. size, ResBeta, ResAlpha]);
    }
}

/// <summary>e3nn's <c>FromS2Grid</c>: signal [..., res_beta, res_alpha] → coefficients [..., (lmax+1)²] by the
/// quadrature F_lm = (1/n_l) Σ_ij w_i (2π/M) f(x_ij) Y_lm(x_ij)/√(4π), n_l taken with lmax_in (default lmax): the
/// inverse of <see cref="ToS2Grid"/> for band-limited signals, the projection onto degrees ≤ lmax otherwise.</summary>
public sealed class FromS2Grid
{
    private readonly Tensor _basis; // [N·M, (lmax+1)²]

    public int Lmax { get; }
    public int ResBeta { get; }
    public int ResAlpha { get; }

    public FromS2Grid((int Beta, int Alpha) res, int? lmax = null, S2Normalization normalization = S2Normalization.Component, int? lmaxIn = null, TensorOptions? options = null)
    {
        (Lmax, ResBeta, ResAlpha) = S2Grid.Complete(lmax, res.Beta, res.Alpha);
        options ??= TensorOptions.CpuFloat64;
        var n = S2Grid.Normalization(normalization, lmaxIn ?? Lmax, Lmax + 1);
        var inverse = n.Select(v => 1 / v).ToArray();
        var weights = S2Grid.QuadratureWeights(ResBeta / 2).Select(w => w * 2 * Math.PI / ResAlpha).ToArray();
        var basis = S2Grid.Basis(Lmax, ResBeta, ResAlpha, inverse, weights);
        _basis = options.Make(basis, (Lmax + 1) * (Lmax + 1), ResBeta * ResAlpha).t().contiguous();
    }

    public Tensor Forward(Tensor x)
    {
        var size = x.shape[..^2];
        if (x.shape[^2] != ResBeta || x.shape[^1] != ResAlpha) throw new ArgumentException($"a {x.shape[^2]}x{x.shape[^1]} grid, the transform expects {ResBeta}x{ResAlpha}");
        return x.reshape(-1, ResBeta * ResAlpha).matmul(_basis).reshape([.. size, _basis.shape[1]]);
    }
}
