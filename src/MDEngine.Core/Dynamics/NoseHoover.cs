namespace MDEngine.Dynamics;

/// <summary>
/// Canonical dynamics with a Nosé–Hoover chain (Martyna, Klein, Tuckerman 1992; default length 3) integrated by the
/// symmetric Trotter splitting of Martyna et al. (1996): chain (dt/2), velocity-Verlet step, chain (dt/2).
/// Deterministic; conserves E_pot + E_kin + Σ ½Q_j v_j² + N_f k_BT ξ₁ + k_BT Σ_{j≥2} ξ_j.
/// </summary>
public sealed class NoseHoover : Integrator
{
    private NoseHooverChainVariables? _chain;

    public double Temperature { get; }
    public double Tau { get; }
    public int ChainLength { get; }

    public NoseHoover(double timeStep, double temperature, double tau, int chainLength = 3) : base(timeStep)
    {
        CheckTemperature(temperature);
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), "A Nosé–Hoover thermostat needs a positive temperature.");
        CheckTimeConstant(tau, nameof(tau), 5);
        if (chainLength < 1) throw new ArgumentOutOfRangeException(nameof(chainLength), "The chain length must be at least 1.");
        Temperature = temperature; Tau = tau; ChainLength = chainLength;
    }

    public override string Name => "nose-hoover";

    private NoseHooverChainVariables Chain(MdState state) =>
        _chain ??= new NoseHooverChainVariables(ChainLength, Temperature, Tau, DegreesOfFreedom(state));

    public override void Step(MdState state, ForceEvaluator forces)
    {
        double dt = TimeStep;
        var chain = Chain(state);
        VerletKernels.ScaleVelocities(state, chain.Propagate(state.KineticEnergy(), 0.5 * dt));
        VerletKernels.VelocityVerletStep(state, forces, dt);
        VerletKernels.ScaleVelocities(state, chain.Propagate(state.KineticEnergy(), 0.5 * dt));
    }

    public override double ConservedEnergyOffset(MdState state) => Chain(state).Energy();

    public override void WriteState(BinaryWriter w, MdState state) => Chain(state).Write(w);
    public override void ReadState(BinaryReader r, MdState state) => Chain(state).Read(r);
}
