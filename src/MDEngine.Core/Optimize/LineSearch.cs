namespace MDEngine.Optimize;

/// <summary>
/// A line search for the strong Wolfe conditions along a direction p from x₀ (Nocedal &amp; Wright, Numerical
/// Optimization, 2nd ed., Algorithms 3.5 and 3.6): φ(α) = objective(x₀ + α p), φ'(α) = −F·p. It brackets by
/// doubling α up to αmax (the step at which one row moves MaxStep), then zooms with safeguarded cubic
/// interpolation. A point is accepted when φ(α) ≤ φ(0) + c₁ α φ'(0) and |φ'(α)| ≤ c₂ |φ'(0)|, or when αmax is
/// reached with sufficient decrease still holding (the step limit wins, as in ASE's searches). If the zoom runs out
/// of evaluations it keeps the best point with sufficient decrease; with none, it fails (null) and the caller
/// falls back. ASE's LineSearch is a port of MINPACK's More–Thuente search; the accepted points satisfy the same
/// conditions, but the trial points differ, so step counts are comparable rather than identical.
/// </summary>
public sealed class LineSearch
{
    public double C1 { get; init; } = 1e-4;
    public double C2 { get; init; } = 0.9;
    public int MaxEvaluations { get; init; } = 12;

    /// <summary>Searches; on success the target is left at the accepted point and its evaluation returned.</summary>
    public Evaluation? Search(IOptimizable target, double[] x0, double[] p, Evaluation start, double alpha0, double alphaMax,
        Func<Evaluation> evaluate)
    {
        double phi0 = start.Objective;
        double dphi0 = -Dot(start.Forces, p);
        if (!(dphi0 < 0)) return null;
        int evaluations = 0;

        (double Phi, double DPhi, Evaluation E) At(double alpha)
        {
            var x = new double[x0.Length];
            for (int i = 0; i < x.Length; i++) x[i] = x0[i] + alpha * p[i];
            target.SetCoordinates(x);
            var e = evaluate();
            evaluations++;
            return (e.Objective, -Dot(e.Forces, p), e);
        }

        bool Armijo(double alpha, double phi) => phi <= phi0 + C1 * alpha * dphi0;
        bool Curvature(double dphi) => Math.Abs(dphi) <= -C2 * dphi0;

        double aPrev = 0, phiPrev = phi0, dphiPrev = dphi0;
        double a = Math.Min(alpha0, alphaMax);
        double bestAlpha = 0; Evaluation? best = null;
        while (true)
        {
            var (phi, dphi, e) = At(a);
            if (!Armijo(a, phi) || (evaluations > 1 && phi >= phiPrev))
                return Zoom(aPrev, phiPrev, dphiPrev, a, phi, dphi);
            best = e; bestAlpha = a;
            if (Curvature(dphi)) return e;
            if (dphi >= 0) return Zoom(a, phi, dphi, aPrev, phiPrev, dphiPrev);
            if (a >= alphaMax || evaluations >= MaxEvaluations) return e;
            aPrev = a; phiPrev = phi; dphiPrev = dphi;
            a = Math.Min(2 * a, alphaMax);
        }

        Evaluation? Zoom(double lo, double phiLo, double dphiLo, double hi, double phiHi, double dphiHi)
        {
            Evaluation? bestLo = lo == bestAlpha ? best : null;
            while (evaluations < MaxEvaluations)
            {
                double aj = Cubic(lo, phiLo, dphiLo, hi, phiHi, dphiHi);
                double width = Math.Abs(hi - lo);
                double left = Math.Min(lo, hi) + 0.1 * width, right = Math.Max(lo, hi) - 0.1 * width;
                if (!double.IsFinite(aj) || aj < left || aj > right) aj = 0.5 * (lo + hi);
                var (phi, dphi, e) = At(aj);
                if (!Armijo(aj, phi) || phi >= phiLo)
                {
                    hi = aj; phiHi = phi; dphiHi = dphi;
                }
                else
                {
                    if (Curvature(dphi)) return e;
                    if (dphi * (hi - lo) >= 0) { hi = lo; phiHi = phiLo; dphiHi = dphiLo; }
                    lo = aj; phiLo = phi; dphiLo = dphi; bestLo = e;
                }
                if (width < 1e-12 * Math.Max(1.0, Math.Abs(lo))) break;
            }
            if (lo > 0 && bestLo is not null)
            {
                // Out of evaluations: settle for the lowest point with sufficient decrease.
                var x = new double[x0.Length];
                for (int i = 0; i < x.Length; i++) x[i] = x0[i] + lo * p[i];
                target.SetCoordinates(x);
                return bestLo;
            }
            return null;
        }
    }

    /// <summary>Minimizer of the cubic matching φ and φ' at both ends (Nocedal &amp; Wright eq. 3.59).</summary>
    private static double Cubic(double a0, double f0, double g0, double a1, double f1, double g1)
    {
        double d1 = g0 + g1 - 3 * (f0 - f1) / (a0 - a1);
        double disc = d1 * d1 - g0 * g1;
        if (disc < 0) return double.NaN;
        double d2 = Math.Sign(a1 - a0) * Math.Sqrt(disc);
        return a1 - (a1 - a0) * (g1 + d2 - d1) / (g1 - g0 + 2 * d2);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
