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
/// |ω| = ω and the step is simply H⁻¹ f. Only the inverse is then kept, with the equivalent inverse BFGS update
/// B ← (I − ρ s yᵀ) B (I − ρ y sᵀ) + ρ s sᵀ (ρ = 1/y·s): one n×n matrix and O(n²) work per step instead of an
/// O(n³) decomposition. The first update with non-positive curvature rebuilds H from the recorded update pairs
/// and from then on steps by eigen-decomposition, exactly as ASE. Memory is n² doubles (n = 3 × rows): for large
/// systems prefer L-BFGS.
/// </summary>
public sealed class Bfgs : Optimizer
{
    private int _n;
    private double[]? _inverse; // H⁻¹ while H is positive definite
    private double[]? _h;       // H once it is not (ASE's path)
    private readonly List<(double[] S, double[] Df)> _updates = [];
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
            var found = SearchWithinMaxStep(_lineSearch, target, r, dr, current, evaluate);
            if (found is null)
            {
                // No acceptable point along the quasi-Newton direction: restart from the initial Hessian.
                Reset(r.Length);
                target.SetCoordinates(r);
                for (int i = 0; i < dr.Length; i++) dr[i] = f[i] / Alpha;
                ScaleToMaxStep(dr);
                MoveBy(target, dr);
            }
        }
        _r0 = r;
        _f0 = (double[])f.Clone();
    }

    private void Reset(int n)
    {
        _n = n;
        _h = null;
        _updates.Clear();
        _inverse = new double[n * n];
        for (int i = 0; i < n; i++) _inverse[i * n + i] = 1.0 / Alpha;
    }

    private double[] NewtonStep(double[] f)
    {
        int n = _n;
        if (_inverse is not null) return MultiplySymmetric(_inverse, f, n);
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
        if (_r0 is null || (_inverse is null && _h is null))
        {
            Reset(r.Length);
            return;
        }
        int n = _n;
        var s = new double[n];
        double maxMove = 0;
        for (int i = 0; i < n; i++) { s[i] = r[i] - _r0[i]; maxMove = Math.Max(maxMove, Math.Abs(s[i])); }
        if (maxMove < 1e-7) return;
        var df = new double[n];
        for (int i = 0; i < n; i++) df[i] = f[i] - _f0![i];

        if (_inverse is not null)
        {
            double ys = -Dot(s, df); // y = −Δf
            if (ys > 0)
            {
                UpdateInverse(s, df, ys);
                _updates.Add((s, df));
                return;
            }
            // Curvature turned non-positive: from here on ASE's Hessian and eigen-decomposition.
            _inverse = null;
            _h = new double[n * n];
            for (int i = 0; i < n; i++) _h[i * n + i] = Alpha;
            foreach (var (ps, pdf) in _updates) UpdateHessian(ps, pdf);
            _updates.Clear();
        }
        UpdateHessian(s, df);
    }

    private void UpdateHessian(double[] s, double[] df)
    {
        int n = _n;
        var h = _h!;
        double a = Dot(s, df);
        var dg = MultiplySymmetric(h, s, n);
        double b = Dot(s, dg);
        ForRows(n, i =>
        {
            var row = h.AsSpan(i * n, n);
            AddScaled(row, -df[i] / a, df, -dg[i] / b, dg);
        });
    }

    private void UpdateInverse(double[] s, double[] df, double ys)
    {
        int n = _n;
        var inverse = _inverse!;
        double rho = 1.0 / ys;
        var u = MultiplySymmetric(inverse, df, n); // B Δf = −B y
        for (int i = 0; i < n; i++) u[i] = -u[i];
        double yu = -Dot(df, u);
        double ss = rho * rho * yu + rho;
        ForRows(n, i =>
        {
            var row = inverse.AsSpan(i * n, n);
            // row += (ss sᵢ − ρ uᵢ) s − ρ sᵢ u
            AddScaled(row, ss * s[i] - rho * u[i], s, -rho * s[i], u);
        });
    }

    /// <summary>row += p x + q y, vectorized.</summary>
    private static void AddScaled(Span<double> row, double p, ReadOnlySpan<double> x, double q, ReadOnlySpan<double> y)
    {
        int j = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var vr = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(row);
            var vx = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(x);
            var vy = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(y);
            var vp = new System.Numerics.Vector<double>(p);
            var vq = new System.Numerics.Vector<double>(q);
            for (int k = 0; k < vr.Length; k++) vr[k] += vp * vx[k] + vq * vy[k];
            j = vr.Length * System.Numerics.Vector<double>.Count;
        }
        for (; j < row.Length; j++) row[j] += p * x[j] + q * y[j];
    }

    private static double[] MultiplySymmetric(double[] m, double[] v, int n)
    {
        var result = new double[n];
        ForRows(n, i => result[i] = Dot(m.AsSpan(i * n, n), v));
        return result;
    }

    private static void ForRows(int n, Action<int> row)
    {
        if (n < 1536) { for (int i = 0; i < n; i++) row(i); return; }
        Parallel.For(0, n, row);
    }
}
