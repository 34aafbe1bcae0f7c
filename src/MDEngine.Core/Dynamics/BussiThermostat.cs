namespace MDEngine.Dynamics;

/// <summary>
/// The stochastic velocity-rescaling step of Bussi, Donadio and Parrinello (J. Chem. Phys. 126, 014101 (2007)),
/// shared by <see cref="Bussi"/> and the C-rescale barostat. Over a time h it draws the new kinetic energy
/// K' = cK + (1−c) K̄ (R₁² + Σ_{i=2}^{N_f} R_i²)/N_f + 2R₁ √(c(1−c) K̄ K / N_f), c = exp(−h/τ), K̄ = N_f k_BT/2
/// (their Eq. (A7)), and rescales all velocities by α = √(K'/K), with the sign of α chosen as in their reference code.
/// The kinetic energy it adds is accumulated so that the "effective energy" E − Σ ΔK is conserved.
/// </summary>
internal sealed class BussiThermostat(double temperature, double tau, Xoshiro256StarStar random)
{
    public double Temperature { get; } = temperature;
    public double Tau { get; } = tau;

    /// <summary>Kinetic energy added by the thermostat so far (eV).</summary>
    public double HeatFromBath { get; set; }

    public void Apply(MdState state, double h, int degreesOfFreedom)
    {
        double kinetic = state.KineticEnergy();
        double nf = degreesOfFreedom;
        double target = 0.5 * nf * MdUnits.Boltzmann * Temperature;
        double c = Math.Exp(-h / Tau);
        double r1 = random.NextGaussian();
        double rest = random.NextChiSquared(degreesOfFreedom - 1);
        if (kinetic <= 0)
        {
            // From rest there is nothing to rescale; the thermostat cannot start a system with zero velocities.
            return;
        }
        double newKinetic = c * kinetic + (1 - c) * target * (r1 * r1 + rest) / nf
                          + 2 * r1 * Math.Sqrt(c * (1 - c) * target * kinetic / nf);
        double alpha = Math.Sqrt(newKinetic / kinetic);
        if (r1 + Math.Sqrt(c * nf * kinetic / ((1 - c) * target)) < 0) alpha = -alpha;
        if (target == 0) alpha = Math.Sqrt(c);
        VerletKernels.ScaleVelocities(state, alpha);
        HeatFromBath += (alpha * alpha - 1) * kinetic;
    }
}
