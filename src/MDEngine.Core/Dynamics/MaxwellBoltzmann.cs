using MDEngine.Geometry;

namespace MDEngine.Dynamics;

/// <summary>Initial velocities drawn from the Maxwell–Boltzmann distribution at a temperature.</summary>
public static class MaxwellBoltzmann
{
    private const ulong VelocityStream = 0x6D617877656C6C21UL;

    /// <summary>
    /// Draws each velocity component of each free atom from a normal distribution of variance k_BT/m, removes the
    /// centre-of-mass momentum of the free atoms (when asked), and optionally rescales to the exact temperature with
    /// the degrees of freedom of <see cref="MdState.DegreesOfFreedom"/>. Fixed atoms get zero velocity.
    /// </summary>
    public static void Assign(MdState state, double temperature, ulong seed, bool zeroMomentum = true, bool exactTemperature = false,
        bool momentumConserved = true)
    {
        if (!(temperature >= 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), "The temperature must be a non-negative number of K.");
        // A stream of its own: a stochastic integrator given the same seed must not replay these numbers as its noise.
        var random = new Xoshiro256StarStar(seed ^ VelocityStream);
        var v = state.Velocities; var m = state.Structure.Masses;
        double kT = MdUnits.Boltzmann * temperature * MdUnits.EvPerAmuInA2PerFs2;
        for (int i = 0; i < v.Length; i++)
        {
            double sigma = Math.Sqrt(kT / m[i]);
            var g = new Vec3(random.NextGaussian(), random.NextGaussian(), random.NextGaussian());
            v[i] = state.Fixed[i] ? Vec3.Zero : sigma * g;
        }
        if (zeroMomentum) RemoveCenterOfMassMotion(state);
        if (exactTemperature && temperature > 0)
        {
            double current = state.Temperature(momentumConserved);
            if (current > 0) VerletKernels.ScaleVelocities(state, Math.Sqrt(temperature / current));
        }
    }

    /// <summary>Subtracts the centre-of-mass velocity of the free atoms from each free atom.</summary>
    public static void RemoveCenterOfMassMotion(MdState state)
    {
        var v = state.Velocities; var m = state.Structure.Masses;
        var momentum = Vec3.Zero; double mass = 0;
        for (int i = 0; i < v.Length; i++) if (!state.Fixed[i]) { momentum += m[i] * v[i]; mass += m[i]; }
        if (mass == 0) return;
        var center = momentum / mass;
        for (int i = 0; i < v.Length; i++) if (!state.Fixed[i]) v[i] -= center;
    }
}
