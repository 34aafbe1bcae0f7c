using MathNet.Numerics.LinearAlgebra;

namespace MDEngine.Optimize;

/// <summary>
/// Quasi-Newton BFGS on the Hessian, as ASE's BFGS: initial Hessian α I (α = 70 eV/Å²), the BFGS update
/// H ← H − (Δf Δfᵀ)/(Δr·Δf) − (H Δr)(H Δr)ᵀ/(Δr·H Δr) skipped when no coordinate moved more than 1e-7, and the
/// step V (Vᵀ f / |ω|) from the eigen-decomposition H = V ω Vᵀ (taking |ω| keeps the step downhill when the
/// Hessian has negative curvature); the whole step is scaled when one row would move more than MaxStep.
/// With <see cref="UseLineSearch"/> the step becomes a search direction and a Wolfe line search picks its length.
///
/// Cost: while every update had positive curvature (Δr·Δf &lt; 0, i.e. y·s &gt; 0), H stays positive definite,
/// |ω| = ω and the step is simply H⁻¹ f. The inverse is then carried along with the equivalent inverse BFGS update
/// B ← (I − ρ s yᵀ) B (I − ρ y sᵀ) + ρ s sᵀ (ρ = 1/y·s), O(n²) per step instead of an O(n³) decomposition; after
/// an update with non-positive curvature the eigen-decomposition path is used, exactly as ASE.
/// </summary>
public sealed class Bfgs : Optimizer
{
    private int _n;
    private double[]? _h;       // Hessian, row-major n×n
    private double[]? _inverse; // H⁻¹ while H is known to be positive definite, else null
    private double[]? _r0, _f0;
    private readonly LineSearch _lineSearch = new();

    /// <summary>Initial Hessian (eV/Å²).</summary>
    public double Alpha { get; init; } = 70.0;
    public bool UseLineSearch { get; init; }

    public override string Name => UseLineSearch ? "BFGS+linesearch" : "BFGS";

    public override void Step(IOptimizable target, Evaluation current, Func<Evaluation> evaluate)
    {
        var r = target.GetCoordinates();
        var f = current.Forces;
        Update(r, f);
        var dr = NewtonStep(f);
        if (!UseLineSearch)
        {
            ScaleToMaxStep(dr);
            MoveBy(target, dr);
        }
        else
        {
            double longest = Evaluation.MaxRowNorm(dr);
            double alphaMax = longest > 0 ? MaxStep / longest : 1.0;
            var found = _lineSearch.Search(target, r, dr, current, Math.Min(1.0, alphaMax), alphaMax, evaluate);
            if (found is null)
            {
                // No acceptable point along the quasi-Newton direction: restart from the initial Hessian.
                _h = null;
                target.SetCoordinates(r);
                for (int i = 0; i < dr.Length; i++) dr[i] = f[i] / Alpha;
                ScaleToMaxStep(dr);
                MoveBy(target, dr);
            }
        }
        _r0 = r;
        _f0 = (double[])f.Clone();
    }

    private double[] NewtonStep(double[] f)
    {
        int n = _n;
        var dr = new double[n];
        if (_inverse is not null)
        {
            for (int i = 0; i < n; i++) dr[i] = Dot(_inverse.AsSpan(i * n, n), f);
            return dr;
        }
        var h = Matrix<double>.Build.Dense(n, n, (i, j) => _h![i * n + j]);
        var evd = h.Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var omega = evd.EigenValues;
        var fv = v.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(f));
        for (int k = 0; k < fv.Count; k++) fv[k] /= Math.Abs(omega[k].Real);
        return (v * fv).ToArray();
    }

    private void Update(double[] r, double[] f)
    {
        if (_h is null || _r0 is null)
        {
            _n = r.Length;
            _h = new double[_n * _n];
            _inverse = new double[_n * _n];
            for (int i = 0; i < _n; i++) { _h[i * _n + i] = Alpha; _inverse[i * _n + i] = 1.0 / Alpha; }
            return;
        }
        int n = _n;
        var s = new double[n];
        double maxMove = 0;
        for (int i = 0; i < n; i++) { s[i] = r[i] - _r0[i]; maxMove = Math.Max(maxMove, Math.Abs(s[i])); }
        if (maxMove < 1e-7) return;
        var df = new double[n];
        for (int i = 0; i < n; i++) df[i] = f[i] - _f0![i];
        double a = Dot(s, df);
        var dg = new double[n];
        for (int i = 0; i < n; i++) dg[i] = Dot(_h.AsSpan(i * n, n), s);
        double b = Dot(s, dg);
        for (int i = 0; i < n; i++)
        {
            var row = _h.AsSpan(i * n, n);
            double ci = df[i] / a, gi = dg[i] / b;
            for (int j = 0; j < n; j++) row[j] -= ci * df[j] + gi * dg[j];
        }

        // Inverse update with y = −Δf: y·s = −a.
        if (_inverse is null) return;
        double ys = -a;
        if (!(ys > 0)) { _inverse = null; return; }
        double rho = 1.0 / ys;
        var u = new double[n]; // B y
        for (int i = 0; i < n; i++) u[i] = -Dot(_inverse.AsSpan(i * n, n), df);
        double yu = -Dot(df, u);
        double ss = rho * rho * yu + rho;
        for (int i = 0; i < n; i++)
        {
            var row = _inverse.AsSpan(i * n, n);
            double si = s[i], ui = u[i];
            for (int j = 0; j < n; j++) row[j] += -rho * (si * u[j] + ui * s[j]) + ss * si * s[j];
        }
    }
}
