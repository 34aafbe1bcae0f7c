namespace MDEngine.Dynamics;

/// <summary>
/// Canonical sampling by stochastic velocity rescaling (Bussi, Donadio, Parrinello, J. Chem. Phys. 126, 014101
/// (2007)), applied symmetrically around a velocity-Verlet step: rescale (dt/2), kick, drift, forces, kick,
/// rescale (dt/2). Total momentum is conserved. The conserved "effective energy" is E_pot + E_kin minus the kinetic
/// energy the rescalings have added.
/// </summary>
public sealed class Bussi : Integrator
{
    private readonly Xoshiro256StarStar _random;
    private readonly BussiThermostat _thermostat;

    public double Temperature { get; }

    /// <summary>Coupling time τ (fs).</summary>
    public double Tau { get; }

    public Bussi(double timeStep, double temperature, double tau, ulong seed) : base(timeStep)
    {
        CheckTemperature(temperature);
        CheckTimeConstant(tau, nameof(tau), 1);
        Temperature = temperature; Tau = tau;
        _random = new Xoshiro256StarStar(seed);
        _thermostat = new BussiThermostat(temperature, tau, _random);
    }

    public override string Name => "bussi";

    public override void Step(MdState state, ForceEvaluator forces)
    {
        double dt = TimeStep;
        int nf = DegreesOfFreedom(state);
        _thermostat.Apply(state, 0.5 * dt, nf);
        VerletKernels.VelocityVerletStep(state, forces, dt);
        _thermostat.Apply(state, 0.5 * dt, nf);
    }

    public override double ConservedEnergyOffset(MdState state) => -_thermostat.HeatFromBath;

    public override void WriteState(BinaryWriter w, MdState state) { _random.Write(w); w.Write(_thermostat.HeatFromBath); }
    public override void ReadState(BinaryReader r, MdState state) { _random.Read(r); _thermostat.HeatFromBath = r.ReadDouble(); }
}
