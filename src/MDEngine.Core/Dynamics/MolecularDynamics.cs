using System.Diagnostics;

namespace MDEngine.Dynamics;

/// <summary>
/// The run loop: owns the iteration over steps, evaluates the initial forces, calls the integrator, checks for
/// blow-ups and notifies observers (thermodynamic log, trajectory, checkpoints, progress).
/// </summary>
public sealed class MolecularDynamics
{
    private readonly Stopwatch _clock = new();
    private long _stepsTimed;
    private bool _forcesReady;

    public MdState State { get; }
    public Integrator Integrator { get; }
    public ForceEvaluator Forces { get; }
    public List<MdObserver> Observers { get; } = [];

    /// <summary>A fresh run: the initial forces are evaluated when it starts.</summary>
    public MolecularDynamics(MdState state, Integrator integrator, ForceEvaluator forces)
    {
        State = state; Integrator = integrator; Forces = forces;
    }

    /// <summary>A run continued from <see cref="Checkpoint.Read"/>: forces, energy and stress come from the checkpoint,
    /// so the continuation is bit-identical to the uninterrupted run.</summary>
    public static MolecularDynamics Resume(MdState restored, Integrator integrator, ForceEvaluator forces) =>
        new(restored, integrator, forces) { _forcesReady = true };

    /// <summary>Number of atoms × steps per second of wall-clock time over the steps run so far.</summary>
    public double AtomStepsPerSecond => _clock.Elapsed.TotalSeconds > 0 ? State.Count * _stepsTimed / _clock.Elapsed.TotalSeconds : 0;

    /// <summary>Simulated nanoseconds per day of wall-clock time.</summary>
    public double NsPerDay => _clock.Elapsed.TotalSeconds > 0 ? _stepsTimed * Integrator.TimeStep * 1e-6 * 86400 / _clock.Elapsed.TotalSeconds : 0;

    public double ConservedEnergy => State.PotentialEnergy + State.KineticEnergy() + Integrator.ConservedEnergyOffset(State);

    public ThermoSample Sample()
    {
        double kinetic = State.KineticEnergy();
        var lengths = State.Structure.Cell.Parameters();
        double? pressure = State.Pressure() is { } p ? p * MdUnits.GPaPerEvPerA3 : null;
        double volume = State.Structure.Pbc.AllPeriodic ? State.Structure.Volume : double.NaN;
        return new ThermoSample(State.Step, State.Time * 1e-3, State.PotentialEnergy, kinetic, State.PotentialEnergy + kinetic,
            ConservedEnergy, 2 * kinetic / (State.DegreesOfFreedom(Integrator.ConservesMomentum) * MdUnits.Boltzmann),
            pressure, volume, lengths.A, lengths.B, lengths.C, NsPerDay);
    }

    /// <summary>Runs <paramref name="steps"/> more steps. Throws <see cref="MdBlowUpException"/> when the run becomes
    /// unphysical; observers are then finished without recording the bad state.</summary>
    public void Run(long steps, CancellationToken cancellation = default)
    {
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), "The number of steps must not be negative.");
        bool fresh = !_forcesReady;
        if (!_forcesReady)
        {
            Forces.WantStress = true;
            Forces.Evaluate(State);
            Integrator.Initialize(State);
            _forcesReady = true;
        }
        foreach (var o in Observers) o.Start(this);
        if (fresh && State.Step == 0) foreach (var o in Observers) o.Observe(this);
        bool completed = false;
        try
        {
            for (long k = 0; k < steps; k++)
            {
                cancellation.ThrowIfCancellationRequested();
                _clock.Start();
                Forces.WantStress = Integrator.NeedsStress || Observers.Any(o => (State.Step + 1) % o.Interval == 0);
                try { Integrator.Step(State, Forces); }
                catch (MdBlowUpException e) when (e.Step == State.Step)
                {
                    // The evaluation inside a step sees the coordinates of the next step: name that one.
                    throw new MdBlowUpException(State.Step + 1, e.Problem);
                }
                State.Step++;
                State.Time += Integrator.TimeStep;
                _clock.Stop();
                _stepsTimed++;
                foreach (var o in Observers)
                    if (State.Step % o.Interval == 0) o.Observe(this);
            }
            completed = true;
        }
        finally
        {
            _clock.Stop();
            foreach (var o in Observers) o.Finish(this, completed);
        }
    }
}
