using MDEngine.ML.Kernels;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// An interaction's radial network R(r) = MLP(radial_embedding(r)) — the weights of its convolution, a function of
/// the edge length alone — tabulated as cubic splines in r, as symmetrix (the MACE CPU code for LAMMPS) does: an
/// approximate, opt-in fast mode (<see cref="MaceOptions.RadialSplinePoints"/>). The knots r_k = kΔ, Δ = r_max/K,
/// carry R(r_k) and dR/dr(r_k), both from the exact network in float64 at load time (the derivative by central
/// differences, step 10⁻⁴Δ), then cast to the model's precision; a length is evaluated by the cubic Hermite
/// interpolant of its interval (<see cref="HermiteSplineKernel{T}"/>), whose reverse pass gives dR/dr of the spline
/// itself, so forces stay the exact gradient of the splined energy. The error falls as Δ⁴ in the weights and Δ³ in
/// their derivative.
/// </summary>
internal sealed class RadialSpline
{
    /// <summary>The central-difference step for the knot derivatives, relative to Δ: small against the curvature
    /// scale of the network (h² R''' ~ 10⁻¹² relative), large against float64 cancellation (ε/h ~ 10⁻¹¹).</summary>
    private const double DifferenceStep = 1e-4;

    private readonly object _kernel; // HermiteSplineKernel<float> or <double>, the model's precision

    public int Intervals { get; }
    public int Outputs { get; }

    /// <param name="exact">The exact R in float64 on the CPU: lengths [n, 1] → weights [n, outputs].</param>
    /// <param name="rMax">The cutoff: the spline covers [0, r_max]; beyond it R is zero (the envelope) and so is the
    /// spline's last knot.</param>
    /// <param name="intervals">K, the number of intervals.</param>
    /// <param name="dtype">The model's precision.</param>
    public RadialSpline(Func<Tensor, Tensor> exact, double rMax, int intervals, ScalarType dtype)
    {
        Intervals = intervals;
        double spacing = rMax / intervals, step = DifferenceStep * spacing;
        int knots = intervals + 1;
        // Three lengths per knot: r_k − h, r_k + h, r_k (the Bessel functions are 0/0 at r = 0: the first knot's
        // value is the mean of its two neighbours, exact to O(h²)).
        var lengths = new double[3 * knots];
        for (int k = 0; k < knots; k++)
        {
            lengths[k] = k * spacing - step;
            lengths[knots + k] = k * spacing + step;
            lengths[2 * knots + k] = k == 0 ? step : k * spacing;
        }
        double[] table;
        using (no_grad())
        {
            var y = exact(tensor(lengths, [3L * knots, 1], ScalarType.Float64)).to(ScalarType.Float64).cpu().contiguous();
            Outputs = (int)y.shape[1];
            table = y.data<double>().ToArray();
        }
        int n = Outputs;
        var values = new double[(long)knots * n];
        var slopes = new double[(long)knots * n];
        for (int k = 0; k < knots; k++)
            for (int j = 0; j < n; j++)
            {
                double minus = table[(long)k * n + j], plus = table[(long)(knots + k) * n + j], at = table[(long)(2 * knots + k) * n + j];
                values[(long)k * n + j] = k == 0 ? 0.5 * (minus + plus) : at;
                slopes[(long)k * n + j] = (plus - minus) / (2 * step);
            }
        if (values.Any(v => !double.IsFinite(v)) || slopes.Any(v => !double.IsFinite(v)))
            throw new MaceModelException("radial_spline: the radial network is not finite on [0, r_max]");
        _kernel = dtype switch
        {
            ScalarType.Float64 => new HermiteSplineKernel<double>(values, slopes, intervals, n, spacing),
            ScalarType.Float32 => new HermiteSplineKernel<float>(values, slopes, intervals, n, spacing),
            _ => throw new MaceModelException($"radial_spline: no spline for {dtype}"),
        };
    }

    /// <summary>The convolution weights of edges of the given lengths [rows, 1] (CPU, the model's precision) →
    /// [rows, outputs], differentiable in the lengths.</summary>
    public Tensor Forward(Tensor lengths) => HermiteSplineFunction.apply(lengths, _kernel, "radial networks");

    /// <summary><see cref="Forward"/> without autograd.</summary>
    internal Tensor ForwardRecorded(Tensor lengths) => HermiteSplineFunction.Forward(lengths.contiguous(), _kernel);

    /// <summary>∂L/∂lengths from ∂L/∂R.</summary>
    internal Tensor Reverse(Tensor lengths, Tensor gy) => HermiteSplineFunction.Backward(lengths.contiguous(), _kernel, gy);
}
