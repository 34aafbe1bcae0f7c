namespace MDEngine.Optimize;

/// <summary>
/// FIRE, the fast inertial relaxation engine (Bitzek et al., Phys. Rev. Lett. 97, 170201 (2006)), with ASE's
/// defaults and its exact update order so that trajectories match ASE step for step: the velocity is mixed toward
/// the force while power P = F·v is positive (the time step grows by <see cref="Finc"/> after
/// <see cref="Nmin"/> such steps and α shrinks by <see cref="Fa"/>), and zeroed when P ≤ 0 (dt × <see cref="Fdec"/>,
/// α reset); then an explicit Euler step v += dt F, dr = dt v, with the whole step's norm capped at MaxStep.
/// The optional downhill check (off by default, as ASE) returns to the previous point when the energy rose.
/// </summary>
public sealed class Fire : Optimizer
{
    private double[]? _v;
    private int _positiveSteps;
    private double _a;
    private double _lastObjective;
    private double[]? _lastCoordinates;

    public double Dt { get; private set; }
    public double DtMax { get; init; } = 1.0;
    public int Nmin { get; init; } = 5;
    public double Finc { get; init; } = 1.1;
    public double Fdec { get; init; } = 0.5;
    public double AStart { get; init; } = 0.1;
    public double Fa { get; init; } = 0.99;
    public bool DownhillCheck { get; init; }

    public override string Name => "FIRE";

    public Fire(double dt = 0.1, double a = 0.1)
    {
        Dt = dt;
        _a = a;
    }

    public override void Step(IOptimizable target, Evaluation current, Func<Evaluation> evaluate)
    {
        var f = current.Forces;
        if (_v is null)
        {
            _v = new double[f.Length];
            if (DownhillCheck) { _lastObjective = current.Objective; _lastCoordinates = target.GetCoordinates(); }
        }
        else
        {
            bool uphill = false;
            if (DownhillCheck)
            {
                if (current.Objective > _lastObjective)
                {
                    // Back to the previous point; ASE keeps using the forces of the rejected point for this step.
                    target.SetCoordinates(_lastCoordinates!);
                    uphill = true;
                }
                else
                {
                    _lastObjective = current.Objective;
                }
                _lastCoordinates = target.GetCoordinates();
            }
            double vf = Dot(f, _v);
            if (vf > 0.0 && !uphill)
            {
                double fNorm = Math.Sqrt(Dot(f, f)), vNorm = Math.Sqrt(Dot(_v, _v));
                for (int i = 0; i < _v.Length; i++) _v[i] = (1.0 - _a) * _v[i] + _a * f[i] / fNorm * vNorm;
                if (_positiveSteps > Nmin)
                {
                    Dt = Math.Min(Dt * Finc, DtMax);
                    _a *= Fa;
                }
                _positiveSteps++;
            }
            else
            {
                Array.Clear(_v);
                _a = AStart;
                Dt *= Fdec;
                _positiveSteps = 0;
            }
        }
        var dr = new double[f.Length];
        for (int i = 0; i < _v.Length; i++)
        {
            _v[i] += Dt * f[i];
            dr[i] = Dt * _v[i];
        }
        double norm = Math.Sqrt(Dot(dr, dr));
        if (norm > MaxStep) for (int i = 0; i < dr.Length; i++) dr[i] *= MaxStep / norm;
        MoveBy(target, dr);
    }
}
