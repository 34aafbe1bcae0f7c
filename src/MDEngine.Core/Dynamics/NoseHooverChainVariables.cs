namespace MDEngine.Dynamics;

/// <summary>
/// A Nosé–Hoover chain (Martyna, Klein, Tuckerman, J. Chem. Phys. 97, 2635 (1992)) of length M acting on a kinetic
/// energy with N_f degrees of freedom: thermostat positions ξ_j, velocities v_j (1/fs), masses Q₁ = N_f k_BT τ²,
/// Q_j = k_BT τ² (j ≥ 2). <see cref="Propagate"/> integrates the chain over a time h with the Trotter factorisation of
/// Martyna, Tuckerman, Tobias, Klein (Mol. Phys. 87, 1117 (1996)) and a 3rd-order Suzuki–Yoshida scheme, and returns
/// the factor by which the coupled velocities must be scaled. Its energy Σ ½Q_j v_j² + N_f k_BT ξ₁ + k_BT Σ_{j≥2} ξ_j
/// joins the conserved quantity.
/// </summary>
internal sealed class NoseHooverChainVariables
{
    // Suzuki–Yoshida weights of order 4 with 3 stages: w1 = w3 = 1/(2 − 2^{1/3}), w2 = 1 − 2 w1.
    private static readonly double W1 = 1 / (2 - Math.Cbrt(2));
    private static readonly double[] Weights = [W1, 1 - 2 * W1, W1];

    private readonly double[] _xi, _v, _q;
    private readonly double _kT;
    private readonly int _dof;

    public NoseHooverChainVariables(int length, double temperature, double tau, int degreesOfFreedom)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), "A Nosé–Hoover chain needs at least one thermostat.");
        _xi = new double[length]; _v = new double[length]; _q = new double[length];
        _kT = MdUnits.Boltzmann * temperature;
        _dof = degreesOfFreedom;
        // τ is in fs and the thermostat "velocity" in 1/fs, so Q is in eV fs².
        for (int j = 0; j < length; j++) _q[j] = (j == 0 ? degreesOfFreedom : 1) * _kT * tau * tau;
    }

    public int Length => _xi.Length;

    /// <summary>Propagates the chain over h given the coupled kinetic energy; returns the velocity scale factor.</summary>
    public double Propagate(double kinetic, double h)
    {
        int m = _xi.Length;
        double scale = 1;
        foreach (double w in Weights)
        {
            double d = w * h;
            // Outside-in: last thermostat first.
            _v[m - 1] += 0.5 * d * Force(m - 1, kinetic * scale * scale);
            for (int j = m - 2; j >= 0; j--)
            {
                double shrink = Math.Exp(-0.25 * d * _v[j + 1]);
                _v[j] = (_v[j] * shrink + 0.5 * d * Force(j, kinetic * scale * scale)) * shrink;
            }
            scale *= Math.Exp(-d * _v[0]);
            for (int j = 0; j < m; j++) _xi[j] += d * _v[j];
            for (int j = 0; j < m - 1; j++)
            {
                double shrink = Math.Exp(-0.25 * d * _v[j + 1]);
                _v[j] = (_v[j] * shrink + 0.5 * d * Force(j, kinetic * scale * scale)) * shrink;
            }
            _v[m - 1] += 0.5 * d * Force(m - 1, kinetic * scale * scale);
        }
        return scale;
    }

    /// <summary>G_j: the thermostat force (1/fs²) on chain element j.</summary>
    private double Force(int j, double kinetic) => j == 0
        ? (2 * kinetic - _dof * _kT) / _q[0]
        : (_q[j - 1] * _v[j - 1] * _v[j - 1] - _kT) / _q[j];

    public double Energy()
    {
        double e = 0;
        for (int j = 0; j < _xi.Length; j++) e += 0.5 * _q[j] * _v[j] * _v[j] + (j == 0 ? _dof : 1) * _kT * _xi[j];
        return e;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(_xi.Length);
        foreach (double x in _xi) w.Write(x);
        foreach (double v in _v) w.Write(v);
    }

    public void Read(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n != _xi.Length) throw new InvalidDataException($"The checkpoint holds a chain of {n} thermostats, this run has {_xi.Length}.");
        for (int j = 0; j < n; j++) _xi[j] = r.ReadDouble();
        for (int j = 0; j < n; j++) _v[j] = r.ReadDouble();
    }
}
