using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>
/// The run loop of one relaxation, as ASE's Optimizer.irun: evaluate, and while the largest generalized force row
/// is not below fmax and steps remain, let the optimizer step, evaluate again and notify the observers. Evaluation
/// is supplied from outside (<see cref="Accept"/>) so that a batch can serve many relaxations with one potential
/// call; extra evaluations an optimizer asks for inside a step go through <see cref="Evaluate"/>.
/// </summary>
public sealed class Relaxation
{
    private readonly Func<Structure, Quantities, PotentialResult> _compute;
    private readonly List<IRelaxObserver> _observers = [];
    private Evaluation? _current;
    private int _currentVersion = -1;
    private double _initialEnergy;
    private Structure? _best;
    private Structure? _lastFinite;
    private double _bestObjective = double.PositiveInfinity;
    private int _lastRecordedStep = -1;
    private readonly Structure _initial;

    public IOptimizable Target { get; }
    public Optimizer Optimizer { get; }
    public RelaxOptions Options { get; }
    public int Steps { get; private set; }
    public int ForceCalls { get; private set; }
    public bool Finished { get; private set; }

    /// <summary>Why the relaxation stopped early: a non-finite energy, force, stress or coordinate (null otherwise).</summary>
    public string? Problem { get; private set; }

    /// <param name="compute">Evaluates one structure (used for evaluations inside a step and by <see cref="Run"/>).</param>
    public Relaxation(IOptimizable target, Optimizer optimizer, Func<Structure, Quantities, PotentialResult> compute, RelaxOptions? options = null)
    {
        Target = target;
        Optimizer = optimizer;
        Options = options ?? new RelaxOptions();
        _compute = compute;
        _initial = target.Structure.Clone();
    }

    public Relaxation(IOptimizable target, Optimizer optimizer, BoundPotential potential, RelaxOptions? options = null)
        : this(target, optimizer, (s, q) => potential.Compute(s, q), options) { }

    public Relaxation Observe(IRelaxObserver observer) { _observers.Add(observer); return this; }

    /// <summary>True when the target moved since its last evaluation (or was never evaluated).</summary>
    public bool NeedsEvaluation => _current is null || _currentVersion != Target.Version;

    /// <summary>Runs to convergence or the step limit.</summary>
    public RelaxResult Run()
    {
        while (!Finished)
        {
            if (NeedsEvaluation) Evaluate();
            Advance();
        }
        return Result();
    }

    /// <summary>Evaluates at the current coordinates with the relaxation's own evaluator.</summary>
    public Evaluation Evaluate()
    {
        var result = _compute(Target.Structure, Target.Needs);
        return Accept(result);
    }

    /// <summary>Takes a potential result computed for the target's current coordinates.</summary>
    public Evaluation Accept(PotentialResult result)
    {
        ForceCalls++;
        var e = Target.Absorb(result);
        _current = e;
        _currentVersion = Target.Version;
        return e;
    }

    /// <summary>With a current evaluation in hand: records the state (once per step), checks convergence, and when
    /// not done lets the optimizer step. The caller evaluates the new coordinates before the next call.</summary>
    public void Advance()
    {
        if (Finished) return;
        if (NeedsEvaluation) throw new InvalidOperationException("The target moved since its last evaluation.");
        var e = _current!;
        // A non-finite number ends the relaxation: nothing after it means anything, and an optimizer fed NaN can
        // even report convergence (NaN positions fall outside every cutoff: zero energy, zero forces).
        if (NonFiniteProblem(e) is { } problem)
        {
            Problem = $"{problem} at step {Steps}";
            Finished = true;
            return;
        }
        if (_lastRecordedStep != Steps)
        {
            if (Steps == 0) _initialEnergy = e.Energy;
            Record(e);
            _lastRecordedStep = Steps;
        }
        if (IsConverged(e) || Steps >= Options.MaxSteps)
        {
            Finished = true;
            return;
        }
        Optimizer.Step(Target, e, Evaluate);
        Steps++;
    }

    private bool IsConverged(Evaluation e) => Problem is null && e.MaxForce < Options.Fmax;

    private string? NonFiniteProblem(Evaluation e)
    {
        var s = Target.Structure;
        if (!s.Cell.Matrix.IsFinite) return "the cell is not finite";
        for (int i = 0; i < s.Count; i++)
            if (!s.Positions[i].IsFinite) return $"the position of atom {i} is not finite";
        if (!double.IsFinite(e.Energy)) return "the potential energy is not finite";
        if (!double.IsFinite(e.Objective)) return "the objective (enthalpy) is not finite";
        for (int i = 0; i < e.AtomForces.Length; i++)
            if (!e.AtomForces[i].IsFinite) return $"the force on atom {i} is not finite";
        if (!e.Forces.All(double.IsFinite)) return "the generalized force on the cell is not finite";
        if (e.Stress is { } stress && !stress.IsFinite) return "the stress is not finite";
        return null;
    }

    private void Record(Evaluation e)
    {
        foreach (var o in _observers) o.Observe(Steps, Target, e);
        // Every recorded state is finite (checked before): the latest is what a run stopped by a non-finite number keeps.
        _lastFinite = Target.Structure.Clone();
        Store(_lastFinite, e);
        if (e.Objective < _bestObjective)
        {
            _bestObjective = e.Objective;
            _best = _lastFinite;
        }
    }

    private static void Store(Structure s, Evaluation e)
    {
        s.Energy = e.Energy;
        s.Forces = e.AtomForces;
        s.Stress = e.Stress;
    }

    public RelaxResult Result()
    {
        var e = _current ?? throw new InvalidOperationException("Nothing was evaluated yet.");
        Store(Target.Structure, e);
        return new RelaxResult
        {
            Problem = Problem,
            Converged = IsConverged(e), Steps = Steps, ForceCalls = ForceCalls, InitialEnergy = _initialEnergy,
            FinalEnergy = e.Energy, FinalObjective = e.Objective, MaxForce = e.MaxForce, Forces = e.AtomForces,
            Stress = e.Stress, Structure = Target.Structure, Best = _best ?? _initial, BestObjective = _bestObjective,
            LastFinite = _lastFinite ?? _initial,
        };
    }
}
