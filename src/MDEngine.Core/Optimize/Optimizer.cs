namespace MDEngine.Optimize;

/// <summary>
/// An optimizer proposes the next generalized coordinates from the current evaluation. It keeps its own state
/// (velocities, Hessian, history) between steps; one instance serves one relaxation. <paramref name="evaluate"/> in
/// <see cref="Step"/> evaluates at the target's current coordinates, for optimizers that need more than one
/// evaluation per step (line searches, FIRE 2.0's step back); each call costs a force call.
/// </summary>
public abstract class Optimizer
{
    public abstract string Name { get; }

    /// <summary>Largest distance (Å) one row may move in a step (ASE's maxstep, 0.2 Å).</summary>
    public double MaxStep { get; init; } = 0.2;

    public abstract void Step(IOptimizable target, Evaluation current, Func<Evaluation> evaluate);

    /// <summary>ASE's determine_step: when one row would move farther than <see cref="MaxStep"/>, the whole step is
    /// scaled down so that row moves exactly MaxStep (keeping the step's direction).</summary>
    protected void ScaleToMaxStep(Span<double> step)
    {
        double longest = Evaluation.MaxRowNorm(step);
        if (longest >= MaxStep)
        {
            double scale = MaxStep / longest;
            foreach (ref double x in step) x *= scale;
        }
    }

    /// <summary>The line search of the quasi-Newton optimizers: along <paramref name="p"/> from <paramref name="r"/>,
    /// αmax the step at which one row moves <see cref="MaxStep"/>, first trial at min(1, αmax). Null when no
    /// acceptable point was found (the caller falls back).</summary>
    protected Evaluation? SearchWithinMaxStep(LineSearch search, IOptimizable target, double[] r, double[] p, Evaluation current,
        Func<Evaluation> evaluate)
    {
        double longest = Evaluation.MaxRowNorm(p);
        double alphaMax = longest > 0 ? MaxStep / longest : 1.0;
        return search.Search(target, r, p, current, Math.Min(1.0, alphaMax), alphaMax, evaluate);
    }

    protected static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        double s = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && a.Length >= 2 * System.Numerics.Vector<double>.Count)
        {
            var va = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(a);
            var vb = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(b);
            var acc = System.Numerics.Vector<double>.Zero;
            for (int k = 0; k < va.Length; k++) acc += va[k] * vb[k];
            s = System.Numerics.Vector.Sum(acc);
            i = va.Length * System.Numerics.Vector<double>.Count;
        }
        for (; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    protected static void MoveBy(IOptimizable target, ReadOnlySpan<double> step)
    {
        var x = target.GetCoordinates();
        for (int i = 0; i < x.Length; i++) x[i] += step[i];
        target.SetCoordinates(x);
    }
}
