using MDEngine.Geometry;

namespace MDEngine.Dynamics;

/// <summary>
/// Isothermal–isobaric dynamics with the stochastic cell rescaling barostat "C-rescale" of Bernetti and Bussi
/// (J. Chem. Phys. 153, 114107 (2020)) and the Bussi velocity-rescaling thermostat. Each step: thermostat (dt/2),
/// kick, drift, cell move, forces, kick, thermostat (dt/2). The cell move integrates their first-order equation for
/// ε = ln V (Eq. (5)): dε = −(β_T/τ_p)(P₀ − P − k_BT/V) dt + √(2 k_BT β_T/(V τ_p)) dW, scaling positions by e^{dε/3}
/// and velocities by e^{−dε/3}. The anisotropic variant (their Sec. II D) gives each component a ≥ b of a
/// lower-triangular strain its own equation with mobility β_T/(3τ_p), driven by P₀δ_ab − P_ab, with the k_BT/V term on
/// the diagonal only, and deforms r ← r(1 + dε), h ← h(1 + dε), v ← v(1 + dε)⁻¹.
/// β_T need not be the true compressibility: it only sets the relaxation time, τ_p β_T(true)/β_T.
/// The effective energy E_pot + E_kin + P₀V minus the bath work is conserved; the potential-energy change of a cell
/// move enters that bookkeeping by the trapezoidal rule in the strain (exact to second order).
/// </summary>
public sealed class CRescale : Integrator
{
    private readonly Xoshiro256StarStar _random;
    private readonly BussiThermostat _thermostat;
    private double _barostatWork;

    public double Temperature { get; }
    public double TauT { get; }

    /// <summary>Target pressure (eV/Å³).</summary>
    public double Pressure { get; }

    public double TauP { get; }

    /// <summary>Compressibility β_T used by the coupling (Å³/eV).</summary>
    public double Compressibility { get; }

    public CellCoupling Coupling { get; }

    public CRescale(double timeStep, double temperature, double tauT, double pressure, double tauP, double compressibility,
        CellCoupling coupling, ulong seed) : base(timeStep)
    {
        CheckTemperature(temperature);
        CheckTimeConstant(tauT, "tau_t", 1);
        CheckTimeConstant(tauP, "tau_p", 20);
        if (!double.IsFinite(pressure)) throw new ArgumentOutOfRangeException(nameof(pressure), "The pressure must be finite.");
        if (!(compressibility > 0) || !double.IsFinite(compressibility)) throw new ArgumentOutOfRangeException(nameof(compressibility), "The compressibility must be positive.");
        Temperature = temperature; TauT = tauT; Pressure = pressure; TauP = tauP; Compressibility = compressibility; Coupling = coupling;
        _random = new Xoshiro256StarStar(seed);
        _thermostat = new BussiThermostat(temperature, tauT, _random);
    }

    public override string Name => Coupling == CellCoupling.Isotropic ? "npt-crescale" : "npt-crescale-aniso";

    public override bool NeedsStress => true;

    public override void Initialize(MdState state)
    {
        if (!state.Structure.Pbc.AllPeriodic) throw new ArgumentException("A barostat needs a cell periodic in all three directions.");
    }

    public override void Step(MdState state, ForceEvaluator forces)
    {
        double dt = TimeStep;
        int nf = DegreesOfFreedom(state);
        _thermostat.Apply(state, 0.5 * dt, nf);
        VerletKernels.Kick(state, 0.5 * dt);
        VerletKernels.Drift(state, dt);
        var (increments, virialBefore) = MoveCell(state);
        forces.Evaluate(state);
        AccountPotentialChange(state, increments, virialBefore);
        VerletKernels.Kick(state, 0.5 * dt);
        _thermostat.Apply(state, 0.5 * dt, nf);
    }

    /// <summary>Moves the cell; returns the log-strain increments (lower triangle) and V σ before the move.</summary>
    private (Mat3 Increments, Mat3 VirialBefore) MoveCell(MdState state)
    {
        double dt = TimeStep;
        double volume = state.Structure.Volume;
        double kT = MdUnits.Boltzmann * Temperature;
        var pressure = state.PressureTensor() ?? throw new InvalidOperationException("The barostat needs the stress.");
        var virialBefore = volume * state.Stress!.Value;
        Mat3 strain, increments;
        if (Coupling == CellCoupling.Isotropic)
        {
            double drift = -(Compressibility / TauP) * (Pressure - pressure.Trace / 3 - kT / volume) * dt;
            double noise = Math.Sqrt(2 * kT * Compressibility * dt / (volume * TauP)) * _random.NextGaussian();
            double dLogV = drift + noise;
            CheckStrain(state, dLogV / 3);
            double mu = Math.Exp(dLogV / 3);
            strain = Mat3.Diagonal(mu - 1, mu - 1, mu - 1);
            increments = Mat3.Diagonal(dLogV / 3, dLogV / 3, dLogV / 3);
        }
        else
        {
            double mobility = Compressibility / (3 * TauP);
            double width = Math.Sqrt(2 * kT * mobility * dt / volume);
            strain = Mat3.Zero;
            increments = Mat3.Zero;
            for (int a = 0; a < 3; a++)
                for (int b = 0; b <= a; b++)
                {
                    double force = a == b ? Pressure - pressure[a, a] - kT / volume : -pressure[a, b];
                    double d = -mobility * force * dt + width * _random.NextGaussian();
                    CheckStrain(state, d);
                    strain[a, b] = a == b ? Math.Exp(d) - 1 : d;
                    increments[a, b] = d;
                }
        }
        var mu3 = Mat3.Identity + strain;
        double kineticBefore = state.KineticEnergy();
        VerletKernels.Deform(state, mu3);
        var inverse = mu3.Inverse();
        var v = state.Velocities;
        for (int i = 0; i < v.Length; i++) v[i] = v[i] * inverse;
        _barostatWork += state.KineticEnergy() - kineticBefore + Pressure * (state.Structure.Volume - volume);
        return (increments, virialBefore);
    }

    /// <summary>
    /// Adds the potential-energy change of the cell move to the bath work. ∂U/∂ε_ab = V σ_ab for a log-strain
    /// increment, so the trapezoidal rule ΔU ≈ ½ Σ_ab (Vσ_before + Vσ_after)_ab Δε_ab is exact to second order in the
    /// strain, which matters: the random strain of each step contributes ½ V B Δε² of one sign, and a first-order rule
    /// would turn it into a steady drift of the effective energy.
    /// </summary>
    private void AccountPotentialChange(MdState state, Mat3 increments, Mat3 virialBefore)
    {
        var virialAfter = state.Structure.Volume * (state.Stress ?? throw new InvalidOperationException("The barostat needs the stress."));
        double change = 0;
        for (int a = 0; a < 3; a++)
            for (int b = 0; b <= a; b++)
                change += 0.5 * (virialBefore[a, b] + virialAfter[a, b]) * increments[a, b];
        _barostatWork += change;
    }

    private static void CheckStrain(MdState state, double strain)
    {
        if (!double.IsFinite(strain) || Math.Abs(strain) > 0.05)
            throw new MdBlowUpException(state.Step, FormattableString.Invariant($"the barostat strained the cell by {strain:G3} in one step"));
    }

    public override double ConservedEnergyOffset(MdState state) => Pressure * state.Structure.Volume - _barostatWork - _thermostat.HeatFromBath;

    public override void WriteState(BinaryWriter w, MdState state)
    {
        _random.Write(w); w.Write(_thermostat.HeatFromBath); w.Write(_barostatWork);
    }

    public override void ReadState(BinaryReader r, MdState state)
    {
        _random.Read(r); _thermostat.HeatFromBath = r.ReadDouble(); _barostatWork = r.ReadDouble();
    }
}
