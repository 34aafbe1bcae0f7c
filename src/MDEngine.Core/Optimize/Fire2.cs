namespace MDEngine.Optimize;

/// <summary>
/// FIRE 2.0 (Guénolé et al., Comput. Mater. Sci. 175, 109584 (2020)) with ASE's FIRE2 defaults: semi-implicit
/// Euler (velocity updated with the current force before mixing), on P ≤ 0 a half step back along the old velocity
/// and dt bounded below by <see cref="DtMin"/>, α₀ = 0.25 and a delay of 20 steps before dt grows. As in ASE the
/// N(P&lt;0) limit and the initial delay of the paper are not used. The step back costs one extra force call.
/// </summary>
public sealed class Fire2 : Optimizer
{
    private double[]? _v;
    private int _positiveSteps;
    private double _a;

    public double Dt { get; private set; }
    public double DtMax { get; init; } = 1.0;
    public double DtMin { get; init; } = 2e-3;
    public int Nmin { get; init; } = 20;
    public double Finc { get; init; } = 1.1;
    public double Fdec { get; init; } = 0.5;
    public double AStart { get; init; } = 0.25;
    public double Fa { get; init; } = 0.99;

    public override string Name => "FIRE2";

    public Fire2(double dt = 0.1)
    {
        Dt = dt;
        _a = AStart;
    }

    public override void Step(IOptimizable target, Evaluation current, Func<Evaluation> evaluate)
    {
        var f = current.Forces;
        if (_v is null) _v = new double[f.Length];
        else
        {
            if (Dot(f, _v) > 0.0)
            {
                _positiveSteps++;
                if (_positiveSteps > Nmin)
                {
                    Dt = Math.Min(Dt * Finc, DtMax);
                    _a *= Fa;
                }
            }
            else
            {
                _positiveSteps = 0;
                Dt = Math.Max(Dt * Fdec, DtMin);
                _a = AStart;
                var back = new double[_v.Length];
                for (int i = 0; i < back.Length; i++) back[i] = -0.5 * Dt * _v[i];
                MoveBy(target, back);
                Array.Clear(_v);
                f = evaluate().Forces;
            }
        }
        for (int i = 0; i < _v.Length; i++) _v[i] += Dt * f[i];
        double fNorm = Math.Sqrt(Dot(f, f)), vNorm = Math.Sqrt(Dot(_v, _v));
        if (fNorm > 0)
            for (int i = 0; i < _v.Length; i++) _v[i] = (1.0 - _a) * _v[i] + _a * f[i] / fNorm * vNorm;
        var dr = new double[f.Length];
        for (int i = 0; i < dr.Length; i++) dr[i] = Dt * _v[i];
        double norm = Math.Sqrt(Dot(dr, dr));
        if (norm > MaxStep) for (int i = 0; i < dr.Length; i++) dr[i] *= MaxStep / norm;
        MoveBy(target, dr);
    }
}
