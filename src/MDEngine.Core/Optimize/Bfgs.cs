using MathNet.Numerics.LinearAlgebra;

namespace MDEngine.Optimize;

/// <summary>
/// Quasi-Newton BFGS on the Hessian, as ASE's BFGS: initial Hessian α I (α = 70 eV/Å²), the BFGS update
/// H ← H − (Δf Δfᵀ)/(Δr·Δf) − (H Δr)(H Δr)ᵀ/(Δr·H Δr) skipped when no coordinate moved more than 1e-7, and the
/// step V (Vᵀ f / |ω|) from the eigen-decomposition H = V ω Vᵀ (taking |ω| keeps the step downhill when the
/// Hessian has negative curvature); the whole step is scaled when one row would move more than MaxStep.
/// With <see cref="UseLineSearch"/> the step becomes a search direction and a Wolfe line search picks its length.
/// </summary>
public sealed class Bfgs : Optimizer
{
    private Matrix<double>? _h;
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
        var evd = _h!.Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var omega = evd.EigenValues;
        var fv = v.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(f));
        for (int k = 0; k < fv.Count; k++) fv[k] /= Math.Abs(omega[k].Real);
        var dr = (v * fv).ToArray();
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
                ScaleToMaxStep(dr);
                MoveBy(target, dr);
            }
        }
        _r0 = r;
        _f0 = (double[])f.Clone();
    }

    private void Update(double[] r, double[] f)
    {
        if (_h is null || _r0 is null)
        {
            _h = Matrix<double>.Build.DenseIdentity(r.Length) * Alpha;
            return;
        }
        var dr = new double[r.Length];
        double maxMove = 0;
        for (int i = 0; i < r.Length; i++) { dr[i] = r[i] - _r0[i]; maxMove = Math.Max(maxMove, Math.Abs(dr[i])); }
        if (maxMove < 1e-7) return;
        var drv = Vector<double>.Build.DenseOfArray(dr);
        var df = Vector<double>.Build.DenseOfArray(f) - Vector<double>.Build.DenseOfArray(_f0!);
        double a = drv.DotProduct(df);
        var dg = _h * drv;
        double b = drv.DotProduct(dg);
        _h = _h - df.OuterProduct(df) / a - dg.OuterProduct(dg) / b;
    }
}
