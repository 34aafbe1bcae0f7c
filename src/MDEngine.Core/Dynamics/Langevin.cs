using MDEngine.Geometry;

namespace MDEngine.Dynamics;

/// <summary>
/// Langevin dynamics with the BAOAB splitting of Leimkuhler and Matthews (Appl. Math. Res. Express 2013, 34):
/// half kick (B), half drift (A), exact Ornstein–Uhlenbeck update of the velocities (O):
/// v ← c₁ v + √((1 − c₁²) k_BT/m) ξ with c₁ = exp(−γ dt), half drift, forces, half kick. BAOAB samples
/// configurations with an error far below other splittings. The conserved quantity is E_pot + E_kin minus the
/// kinetic energy the O step has put in (the heat exchanged with the bath).
/// </summary>
public sealed class Langevin : Integrator
{
    private readonly Xoshiro256StarStar _random;
    private double _heatFromBath;

    public double Temperature { get; }

    /// <summary>Friction γ (1/fs).</summary>
    public double Friction { get; }

    /// <param name="timeStep">fs</param>
    /// <param name="temperature">K</param>
    /// <param name="friction">γ in 1/fs (0.01/fs = 10/ps is a typical strong coupling)</param>
    public Langevin(double timeStep, double temperature, double friction, ulong seed) : base(timeStep)
    {
        CheckTemperature(temperature);
        if (!(friction > 0) || !double.IsFinite(friction)) throw new ArgumentOutOfRangeException(nameof(friction), "The friction must be a positive rate (1/fs).");
        if (friction * timeStep > 1) throw new ArgumentOutOfRangeException(nameof(friction), "The friction times the time step exceeds 1: the velocities would be fully randomised every step.");
        Temperature = temperature; Friction = friction;
        _random = new Xoshiro256StarStar(seed);
    }

    public override string Name => "langevin";
    public override bool ConservesMomentum => false;

    public override void Step(MdState state, ForceEvaluator forces)
    {
        double dt = TimeStep;
        VerletKernels.Kick(state, 0.5 * dt);
        VerletKernels.Drift(state, 0.5 * dt);
        FluctuationDissipation(state);
        VerletKernels.Drift(state, 0.5 * dt);
        forces.Evaluate(state);
        VerletKernels.Kick(state, 0.5 * dt);
    }

    private void FluctuationDissipation(MdState state)
    {
        double c1 = Math.Exp(-Friction * TimeStep);
        double c2 = Math.Sqrt(1 - c1 * c1);
        double kT = MdUnits.Boltzmann * Temperature * MdUnits.EvPerAmuInA2PerFs2;
        var v = state.Velocities; var m = state.Structure.Masses;
        double before = state.KineticEnergy();
        for (int i = 0; i < v.Length; i++)
        {
            if (state.Fixed[i]) continue;
            double sigma = c2 * Math.Sqrt(kT / m[i]);
            var noise = new Vec3(_random.NextGaussian(), _random.NextGaussian(), _random.NextGaussian());
            v[i] = c1 * v[i] + sigma * noise;
        }
        _heatFromBath += state.KineticEnergy() - before;
    }

    public override double ConservedEnergyOffset(MdState state) => -_heatFromBath;

    public override void WriteState(BinaryWriter w, MdState state) { _random.Write(w); w.Write(_heatFromBath); }
    public override void ReadState(BinaryReader r, MdState state) { _random.Read(r); _heatFromBath = r.ReadDouble(); }
}
