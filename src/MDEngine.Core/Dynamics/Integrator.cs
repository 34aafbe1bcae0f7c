namespace MDEngine.Dynamics;

/// <summary>
/// One time-stepping scheme. <see cref="Step"/> advances positions, velocities, cell and the scheme's own variables
/// (thermostat and barostat coordinates, random-number state) by one time step; on entry the state's forces belong to
/// its positions, and on exit they belong to the new ones. Everything a scheme keeps between steps is written by
/// <see cref="WriteState"/>, so a checkpoint restores it exactly.
/// </summary>
public abstract class Integrator
{
    protected Integrator(double timeStep)
    {
        if (!(timeStep > 0) || !double.IsFinite(timeStep)) throw new ArgumentOutOfRangeException(nameof(timeStep), "The time step must be a positive number of fs.");
        TimeStep = timeStep;
    }

    /// <summary>Time step (fs).</summary>
    public double TimeStep { get; }

    /// <summary>Short name, stored in checkpoints to check that a restart uses the same scheme.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the scheme conserves total momentum (it then removes 3 degrees of freedom).</summary>
    public virtual bool ConservesMomentum => true;

    /// <summary>Whether every step needs the stress (barostats); otherwise it is computed only for observed steps.</summary>
    public virtual bool NeedsStress => false;

    /// <summary>Called once before the first step of a fresh run (not after a restart), with forces evaluated.</summary>
    public virtual void Initialize(MdState state) { }

    public abstract void Step(MdState state, ForceEvaluator forces);

    /// <summary>
    /// What is added to E_pot + E_kin to form the quantity the scheme conserves: thermostat and barostat energies,
    /// P₀V, minus the energy the stochastic baths have exchanged. Zero for NVE.
    /// </summary>
    public virtual double ConservedEnergyOffset(MdState state) => 0;

    public virtual void WriteState(BinaryWriter writer, MdState state) { }
    public virtual void ReadState(BinaryReader reader, MdState state) { }

    protected int DegreesOfFreedom(MdState state) => state.DegreesOfFreedom(ConservesMomentum);

    protected static void CheckTemperature(double temperature)
    {
        if (!(temperature >= 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), "The temperature must be a non-negative number of K.");
    }

    protected void CheckTimeConstant(double tau, string name, double minimumSteps)
    {
        if (!(tau > 0) || !double.IsFinite(tau)) throw new ArgumentOutOfRangeException(name, $"{name} must be a positive number of fs.");
        if (tau < minimumSteps * TimeStep)
            throw new ArgumentOutOfRangeException(name, FormattableString.Invariant(
                $"{name} = {tau} fs is shorter than {minimumSteps} time steps ({minimumSteps * TimeStep} fs); such a fast coupling is unstable."));
    }
}
