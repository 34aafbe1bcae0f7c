using MDEngine.Geometry;

namespace MDEngine.Dynamics;

/// <summary>
/// Isotropic isothermal–isobaric dynamics of Martyna, Tobias and Klein (J. Chem. Phys. 101, 4177 (1994)) with
/// Nosé–Hoover chains on the particles and on the barostat, integrated by the time-reversible Trotter splitting of
/// Tuckerman, Alejandre, López-Rendón, Jochim and Martyna (J. Phys. A 39, 5629 (2006)):
/// chains (dt/2), barostat velocity (dt/2), kick (dt/2), drift and cell (dt), forces, kick (dt/2), barostat velocity
/// (dt/2), chains (dt/2). The barostat variable is the logarithmic strain rate v_ε (1/fs) of the cell (h ← h e^{v_ε dt})
/// with mass W = (N_f + 3) k_BT τ_p²; its force is G_ε = (1 + 3/N_f) 2K − V tr σ − 3V P₀. The conserved quantity is
/// E_pot + E_kin + ½ W v_ε² + P₀V + both chain energies.
/// </summary>
public sealed class MtkNpt : Integrator
{
    private NoseHooverChainVariables? _particleChain, _barostatChain;
    private double _strainRate;

    public double Temperature { get; }
    public double TauT { get; }

    /// <summary>Target pressure (eV/Å³).</summary>
    public double Pressure { get; }

    public double TauP { get; }
    public int ChainLength { get; }

    public MtkNpt(double timeStep, double temperature, double tauT, double pressure, double tauP, int chainLength = 3) : base(timeStep)
    {
        CheckTemperature(temperature);
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), "The MTK barostat needs a positive temperature.");
        CheckTimeConstant(tauT, "tau_t", 5);
        CheckTimeConstant(tauP, "tau_p", 50);
        if (!double.IsFinite(pressure)) throw new ArgumentOutOfRangeException(nameof(pressure), "The pressure must be finite.");
        if (chainLength < 1) throw new ArgumentOutOfRangeException(nameof(chainLength), "The chain length must be at least 1.");
        Temperature = temperature; TauT = tauT; Pressure = pressure; TauP = tauP; ChainLength = chainLength;
    }

    public override string Name => "npt-mtk";

    private double Kt => MdUnits.Boltzmann * Temperature;
    private double BarostatMass(MdState state) => (DegreesOfFreedom(state) + 3) * Kt * TauP * TauP;

    private void EnsureChains(MdState state)
    {
        _particleChain ??= new NoseHooverChainVariables(ChainLength, Temperature, TauT, DegreesOfFreedom(state));
        _barostatChain ??= new NoseHooverChainVariables(ChainLength, Temperature, TauT, 1);
    }

    public override bool NeedsStress => true;

    public override void Initialize(MdState state)
    {
        if (!state.Structure.Pbc.AllPeriodic) throw new ArgumentException("A barostat needs a cell periodic in all three directions.");
        EnsureChains(state);
    }

    public override void Step(MdState state, ForceEvaluator forces)
    {
        EnsureChains(state);
        double dt = TimeStep;
        double w = BarostatMass(state);
        double alpha = 1 + 3.0 / DegreesOfFreedom(state);

        ThermostatHalfStep(state, w);
        _strainRate += 0.5 * dt * BarostatForce(state, alpha) / w;
        DampedKick(state, 0.5 * dt, alpha);
        DriftAndDeform(state, dt);
        forces.Evaluate(state);
        DampedKick(state, 0.5 * dt, alpha);
        _strainRate += 0.5 * dt * BarostatForce(state, alpha) / w;
        ThermostatHalfStep(state, w);
    }

    private void ThermostatHalfStep(MdState state, double w)
    {
        double h = 0.5 * TimeStep;
        _strainRate *= _barostatChain!.Propagate(0.5 * w * _strainRate * _strainRate, h);
        VerletKernels.ScaleVelocities(state, _particleChain!.Propagate(state.KineticEnergy(), h));
    }

    /// <summary>G_ε (eV): (1 + 3/N_f)·2K + virial − 3 V P₀, with the virial −V tr σ.</summary>
    private double BarostatForce(MdState state, double alpha)
    {
        double volume = state.Structure.Volume;
        var stress = state.Stress ?? throw new InvalidOperationException("The barostat needs the stress.");
        return alpha * 2 * state.KineticEnergy() - volume * stress.Trace - 3 * volume * Pressure;
    }

    /// <summary>v ← v e^{−α v_ε h} + h (F/m) e^{−α v_ε h/2} sinh(α v_ε h/2)/(α v_ε h/2).</summary>
    private void DampedKick(MdState state, double h, double alpha)
    {
        double x = alpha * _strainRate * h;
        double damping = Math.Exp(-x);
        double kick = h * Math.Exp(-0.5 * x) * Sinhc(0.5 * x) * MdUnits.EvPerAmuInA2PerFs2;
        var v = state.Velocities; var f = state.Forces; var m = state.Structure.Masses;
        for (int i = 0; i < v.Length; i++)
            if (!state.Fixed[i]) v[i] = damping * v[i] + (kick / m[i]) * f[i];
    }

    /// <summary>r ← r e^{v_ε dt} + dt v e^{v_ε dt/2} sinh(v_ε dt/2)/(v_ε dt/2); h ← h e^{v_ε dt}.</summary>
    private void DriftAndDeform(MdState state, double dt)
    {
        double x = _strainRate * dt;
        if (!double.IsFinite(x) || Math.Abs(x) > 0.05)
            throw new MdBlowUpException(state.Step, FormattableString.Invariant($"the barostat strained the cell by {x:G3} in one step"));
        double scale = Math.Exp(x);
        double advance = dt * Math.Exp(0.5 * x) * Sinhc(0.5 * x);
        var r = state.Structure.Positions; var v = state.Velocities;
        for (int i = 0; i < r.Length; i++) r[i] = scale * r[i] + advance * v[i];
        state.Structure.Cell = new Structures.Cell(scale * state.Structure.Cell.Matrix);
    }

    /// <summary>sinh(x)/x, with its Taylor series near 0.</summary>
    private static double Sinhc(double x)
    {
        if (Math.Abs(x) < 1e-4) { double x2 = x * x; return 1 + x2 / 6 * (1 + x2 / 20); }
        return Math.Sinh(x) / x;
    }

    public override double ConservedEnergyOffset(MdState state)
    {
        EnsureChains(state);
        return 0.5 * BarostatMass(state) * _strainRate * _strainRate + Pressure * state.Structure.Volume
             + _particleChain!.Energy() + _barostatChain!.Energy();
    }

    public override void WriteState(BinaryWriter w, MdState state)
    {
        EnsureChains(state);
        w.Write(_strainRate); _particleChain!.Write(w); _barostatChain!.Write(w);
    }

    public override void ReadState(BinaryReader r, MdState state)
    {
        EnsureChains(state);
        _strainRate = r.ReadDouble(); _particleChain!.Read(r); _barostatChain!.Read(r);
    }
}
