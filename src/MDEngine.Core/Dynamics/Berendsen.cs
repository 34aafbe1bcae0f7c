namespace MDEngine.Dynamics;

/// <summary>
/// Berendsen weak-coupling thermostat (J. Chem. Phys. 81, 3684 (1984)): after each velocity-Verlet step the velocities
/// are scaled by λ = √(1 + (dt/τ)(T₀/T − 1)). It relaxes the temperature exponentially but does NOT sample the
/// canonical ensemble (kinetic-energy fluctuations are suppressed); use it for equilibration. The conserved quantity
/// is E_pot + E_kin minus the kinetic energy the scaling has added.
/// </summary>
public sealed class Berendsen : Integrator
{
    private double _heatFromBath;

    public double Temperature { get; }
    public double Tau { get; }

    public Berendsen(double timeStep, double temperature, double tau) : base(timeStep)
    {
        CheckTemperature(temperature);
        CheckTimeConstant(tau, nameof(tau), 1);
        Temperature = temperature; Tau = tau;
    }

    public override string Name => "berendsen";

    public override void Step(MdState state, ForceEvaluator forces)
    {
        double dt = TimeStep;
        VerletKernels.VelocityVerletStep(state, forces, dt);
        double kinetic = state.KineticEnergy();
        if (kinetic <= 0) return;
        double current = state.Temperature(ConservesMomentum);
        double lambda = Math.Sqrt(Math.Max(0, 1 + dt / Tau * (Temperature / current - 1)));
        VerletKernels.ScaleVelocities(state, lambda);
        _heatFromBath += (lambda * lambda - 1) * kinetic;
    }

    public override double ConservedEnergyOffset(MdState state) => -_heatFromBath;

    public override void WriteState(BinaryWriter w, MdState state) => w.Write(_heatFromBath);
    public override void ReadState(BinaryReader r, MdState state) => _heatFromBath = r.ReadDouble();
}
