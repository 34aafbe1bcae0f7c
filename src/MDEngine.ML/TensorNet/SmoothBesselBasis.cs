using static TorchSharp.torch;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// matgl's smooth spherical Bessel radial basis (<c>SphericalBesselFunction(smooth=True)</c>), from Kocer, Mason and
/// Erturk, J. Chem. Phys. 150, 154102 (2019), eqs. 8–10: with sinc(x) = sin x / x and r_c the cutoff,
/// <code>
/// f_n(r) = (−1)ⁿ √2 π / r_c^{3/2} · (n+1)(n+2) / √((n+1)² + (n+2)²) · [sinc((n+1)πr/r_c) + sinc((n+2)πr/r_c)]
/// </code>
/// each vanishing with its first derivative at r_c, then orthogonalised:
/// e_n = n²(n+2)² / (4(n+1)⁴ + 1), d_0 = 1, d_n = 1 − e_n/d_{n−1}, g_0 = f_0,
/// g_n = (f_n + √(e_n/d_{n−1}) g_{n−1}) / √d_n.
/// The recurrence is a fixed lower-triangular matrix, so g = f·Mᵀ.
/// </summary>
public sealed class SmoothBesselBasis
{
    private readonly double _cutoff;
    private readonly double[] _prefactors;
    private readonly double[,] _combination;

    public int Size { get; }

    /// <param name="size">Number of basis functions (matgl's max_n).</param>
    /// <param name="cutoff">r_c (Å).</param>
    /// <param name="float32Prefactors">matgl builds the prefactor √2 π / r_c^{3/2} (n+1)(n+2) from its float32 cutoff
    /// buffer, so a model created in float32 carries it rounded to float32, also after a cast to float64.</param>
    public SmoothBesselBasis(int size, double cutoff, bool float32Prefactors)
    {
        Size = size;
        _cutoff = cutoff;
        _prefactors = new double[size];
        for (int n = 0; n < size; n++)
        {
            double scale = float32Prefactors ? Float32Scale(cutoff, n) : Math.Sqrt(2.0) * Math.PI / Math.Pow(cutoff, 1.5) * (n + 1) * (n + 2);
            _prefactors[n] = (n % 2 == 0 ? 1 : -1) * scale / Math.Sqrt((n + 1.0) * (n + 1) + (n + 2.0) * (n + 2));
        }
        var e = new double[size];
        var d = new double[size];
        for (int n = 0; n < size; n++) e[n] = (double)n * n * (n + 2) * (n + 2) / (4.0 * Math.Pow(n + 1, 4) + 1);
        d[0] = 1;
        for (int n = 1; n < size; n++) d[n] = 1 - e[n] / d[n - 1];
        // Row n of M: the coefficients of f_0..f_n in g_n.
        _combination = new double[size, size];
        _combination[0, 0] = 1;
        for (int n = 1; n < size; n++)
        {
            double carry = Math.Sqrt(e[n] / d[n - 1]), norm = 1 / Math.Sqrt(d[n]);
            for (int k = 0; k < n; k++) _combination[n, k] = norm * carry * _combination[n - 1, k];
            _combination[n, n] = norm;
        }
    }

    /// <summary>√2 π / r_c^{3/2} (n+1)(n+2) as matgl evaluates it on a float32 cutoff tensor: r_c^{3/2} in float32, the
    /// division as a float32 reciprocal times the float32-rounded √2 π, each product rounded to float32.</summary>
    private static double Float32Scale(double cutoff, int n)
    {
        float reciprocal = 1f / MathF.Pow((float)cutoff, 1.5f);
        float scale = (float)(Math.Sqrt(2.0) * Math.PI) * reciprocal;
        scale *= n + 1;
        scale *= n + 2;
        return scale;
    }

    /// <summary>[E, Size] basis values of the distances r [E].</summary>
    public Tensor Evaluate(Tensor r)
    {
        var k = arange(1, Size + 2, r.dtype, r.device) * (Math.PI / _cutoff);  // (n+1)π/r_c for n = 0..Size
        var x = r.unsqueeze(1) * k;
        var sinc = sin(x) / x;
        var f = (sinc[.., ..Size] + sinc[.., 1..]) * tensor(_prefactors, r.dtype, r.device);
        var m = tensor(Flatten(_combination), [Size, Size], r.dtype, r.device);
        return matmul(f, m.t());
    }

    private static double[] Flatten(double[,] a) => a.Cast<double>().ToArray();
}
