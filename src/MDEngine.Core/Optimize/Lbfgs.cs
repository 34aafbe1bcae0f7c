namespace MDEngine.Optimize;

/// <summary>
/// Limited-memory BFGS as ASE's LBFGS (Nocedal, Math. Comp. 35, 773 (1980)): the two-loop recursion over the
/// last <see cref="Memory"/> pairs (s = Δr, y = −Δf) with initial inverse Hessian 1/α, α = 70 eV/Å². Without a
/// line search the step is scaled so no row moves more than MaxStep (times <see cref="Damping"/>); with
/// <see cref="UseLineSearch"/> a Wolfe line search (c1 = 0.23, c2 = 0.46 as ASE) sets the step length.
/// </summary>
public sealed class Lbfgs : Optimizer
{
    private readonly List<double[]> _s = [], _y = [];
    private readonly List<double> _rho = [];
    private int _iteration;
    private double[]? _r0, _f0;
    private readonly LineSearch _lineSearch = new() { C1 = 0.23, C2 = 0.46 };

    public int Memory { get; init; } = 100;
    public double Alpha { get; init; } = 70.0;
    public double Damping { get; init; } = 1.0;
    public bool UseLineSearch { get; init; }

    public override string Name => UseLineSearch ? "L-BFGS+linesearch" : "L-BFGS";

    public override void Step(IOptimizable target, Evaluation current, Func<Evaluation> evaluate)
    {
        var r = target.GetCoordinates();
        var f = current.Forces;
        Update(r, f);
        int loopMax = Math.Min(Memory, _iteration);
        loopMax = Math.Min(loopMax, _s.Count);
        var a = new double[loopMax];
        var q = new double[f.Length];
        for (int i = 0; i < q.Length; i++) q[i] = -f[i];
        for (int i = loopMax - 1; i >= 0; i--)
        {
            a[i] = _rho[i] * Dot(_s[i], q);
            var yi = _y[i];
            for (int k = 0; k < q.Length; k++) q[k] -= a[i] * yi[k];
        }
        double h0 = 1.0 / Alpha;
        var z = new double[q.Length];
        for (int k = 0; k < z.Length; k++) z[k] = h0 * q[k];
        for (int i = 0; i < loopMax; i++)
        {
            double b = _rho[i] * Dot(_y[i], z);
            var si = _s[i];
            for (int k = 0; k < z.Length; k++) z[k] += si[k] * (a[i] - b);
        }
        var p = new double[z.Length];
        for (int k = 0; k < p.Length; k++) p[k] = -z[k];

        if (!UseLineSearch)
        {
            ScaleToMaxStep(p);
            if (Damping != 1.0) for (int k = 0; k < p.Length; k++) p[k] *= Damping;
            MoveBy(target, p);
        }
        else
        {
            if (Dot(p, f) <= 0)
            {
                // Not a descent direction (curvature information gone bad): forget it, go along the force.
                Forget();
                for (int k = 0; k < p.Length; k++) p[k] = h0 * f[k];
            }
            var found = SearchWithinMaxStep(_lineSearch, target, r, p, current, evaluate);
            if (found is null)
            {
                Forget();
                target.SetCoordinates(r);
                for (int k = 0; k < p.Length; k++) p[k] = h0 * f[k];
                ScaleToMaxStep(p);
                MoveBy(target, p);
            }
        }
        _iteration++;
        _r0 = r;
        _f0 = (double[])f.Clone();
    }

    private void Forget()
    {
        _s.Clear(); _y.Clear(); _rho.Clear();
        _iteration = 0;
        _r0 = null;
    }

    private void Update(double[] r, double[] f)
    {
        if (_iteration > 0 && _r0 is not null)
        {
            var s = new double[r.Length];
            var y = new double[r.Length];
            for (int i = 0; i < r.Length; i++) { s[i] = r[i] - _r0[i]; y[i] = _f0![i] - f[i]; }
            _s.Add(s); _y.Add(y); _rho.Add(1.0 / Dot(y, s));
        }
        if (_iteration > Memory)
        {
            _s.RemoveAt(0); _y.RemoveAt(0); _rho.RemoveAt(0);
        }
    }
}
