using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// MACE's radial embedding: Bessel functions √(2/r_c) sin(nπr/r_c)/r (n = 1..N) times the polynomial envelope of
/// DimeNet (Klicpera et al. 2020, eq. 8): u(x) = 1 − (p+1)(p+2)/2 xᵖ + p(p+2) xᵖ⁺¹ − p(p+1)/2 xᵖ⁺², x = r/r_c,
/// zero beyond r_c. Frequencies and prefactor are read from the model (they are stored buffers).
/// </summary>
public sealed class RadialBasis
{
    private readonly Tensor _frequencies;
    private readonly double[] _frequencyValues;
    private readonly double _prefactor, _rMax;
    private readonly int _p;

    public int Count { get; }

    public RadialBasis(double[] frequencies, double prefactor, double rMax, int p, TensorOptions options)
    {
        _frequencies = options.Make(frequencies, 1, frequencies.Length);
        _frequencyValues = [.. frequencies];
        _prefactor = prefactor; _rMax = rMax; _p = p; Count = frequencies.Length;
    }

    /// <summary>Frequencies nπ/r_c and prefactor √(2/r_c) of the standard Bessel basis.</summary>
    public static RadialBasis Standard(int count, double rMax, int p, TensorOptions options) =>
        new(Enumerable.Range(1, count).Select(n => n * Math.PI / rMax).ToArray(), Math.Sqrt(2.0 / rMax), rMax, p, options);

    /// <summary>lengths: [E, 1] → [E, Count].</summary>
    public Tensor Forward(Tensor lengths) => Forward(lengths, lengths);

    /// <summary>The Bessel functions of <paramref name="basisInput"/> (a transformed distance, as MACE's Agnesi
    /// transform gives) times the envelope of the true <paramref name="lengths"/>: [E, 1] → [E, Count].</summary>
    public Tensor Forward(Tensor basisInput, Tensor lengths)
    {
        var bessel = _prefactor * sin(_frequencies * basisInput) / basisInput;
        return bessel * Envelope(lengths);
    }

    /// <summary>The basis as a <see cref="Kernels.RowFunction"/> of the length, [E, 1] → [E, Count]: the same formula
    /// and its derivative written out per edge, for the CPU's first-order evaluation.</summary>
    internal Kernels.RowFunction Rows() => _rows ??= new BesselEnvelopeRows(this);

    private Kernels.RowFunction? _rows;

    private sealed class BesselEnvelopeRows(RadialBasis basis) : Kernels.RowFunction
    {
        /// <summary>The standard basis's frequencies n·ω₁: sin(nω₁r) and cos(nω₁r) then follow from those of ω₁r by the
        /// angle-addition recurrence (error growing as n·ε) instead of a sine and cosine per function.</summary>
        private readonly bool _harmonic = basis._frequencyValues.Select((f, n) => Math.Abs(f - (n + 1) * basis._frequencyValues[0]) <= 1e-14 * Math.Abs(f)).All(b => b);

        public override int Inputs => 1;
        public override int Outputs => basis.Count;

        /// <summary>
        /// y_n = s_n(r)·S(r) with s_n = sin(ω_n r) and S = prefactor·u(r/r_c)/r; in the reverse
        /// pass ∂L/∂r = Σ_n g_n (ω_n cos(ω_n r)·S + s_n·S′), S′ = prefactor·(u′/(r_c r) − u/r²).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public override unsafe void Chunk<T>(T* x, T* y, T* gy, int first, int end)
        {
            int count = basis.Count;
            double rMax = basis._rMax, prefactor = basis._prefactor, w1 = basis._frequencyValues[0];
            for (long row = first; row < end; row++)
            {
                double r = double.CreateTruncating(x[row]);
                var (u, du) = PolynomialEnvelope(r / rMax, basis._p);
                double scale = prefactor * u / r, slope = prefactor * (du / (rMax * r) - u / (r * r));
                double sum = 0;
                double s1 = 0, c1 = 0, s = 0, c = 0;
                if (_harmonic) { (s1, c1) = Math.SinCos(w1 * r); (s, c) = (s1, c1); }
                for (int n = 0; n < count; n++)
                {
                    double w = _harmonic ? (n + 1) * w1 : basis._frequencyValues[n];
                    if (!_harmonic) (s, c) = Math.SinCos(w * r);
                    if (gy == null) y[row * count + n] = T.CreateTruncating(s * scale);
                    else sum += double.CreateTruncating(gy[row * count + n]) * (w * c * scale + s * slope);
                    if (_harmonic) (s, c) = (s * c1 + c * s1, c * c1 - s * s1);
                }
                if (gy != null) y[row] = T.CreateTruncating(sum);
            }
        }
    }

    public Tensor Envelope(Tensor lengths) => PolynomialEnvelope(lengths / _rMax, _p);

    /// <summary>u(x) and du/dx of the polynomial envelope on one ratio (both zero from x = 1 on).</summary>
    private static (double Value, double Derivative) PolynomialEnvelope(double x, int power)
    {
        if (x >= 1.0) return (0, 0);
        double p = power, xp = Math.Pow(x, power), xp1 = Math.Pow(x, power - 1);
        double a = (p + 1) * (p + 2) / 2, b = p * (p + 2), c = p * (p + 1) / 2;
        return (1.0 - a * xp + b * xp * x - c * xp * x * x, -a * p * xp1 + b * (p + 1) * xp - c * (p + 2) * xp * x);
    }

    /// <summary>u(x) of the polynomial envelope, x = r/r_c (a tensor of ratios, any shape), zero from x = 1 on.</summary>
    public static Tensor PolynomialEnvelope(Tensor x, int power)
    {
        double p = power;
        var xp = x.pow(power);
        var u = 1.0 - (p + 1) * (p + 2) / 2 * xp + p * (p + 2) * xp * x - p * (p + 1) / 2 * xp * x * x;
        return u * (x < 1.0).to(x.dtype);
    }
}
