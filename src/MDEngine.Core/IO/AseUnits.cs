namespace MDEngine.IO;

/// <summary>ASE's internal time unit, needed to convert ASE velocities and momenta (ASE 3.22, CODATA 2014 constants).
/// ASE measures time in Å·sqrt(amu/eV), so one femtosecond is <see cref="Femtosecond"/> ≈ 0.0982269 of its unit
/// and one ASE time unit ≈ 10.1805 fs.</summary>
public static class AseUnits
{
    private const double ElementaryCharge = 1.6021766208e-19; // C (CODATA 2014)
    private const double AtomicMassUnit = 1.660539040e-27;     // kg (CODATA 2014)

    /// <summary><c>ase.units.fs</c>: 1e-15 s expressed in ASE time units, 1e-5·sqrt(e/amu).</summary>
    public static readonly double Femtosecond = 1e-15 * 1e10 * Math.Sqrt(ElementaryCharge / AtomicMassUnit);

    /// <summary>Velocity in Å/fs from ASE's Å per ASE time unit (<c>atoms.get_velocities()</c>).</summary>
    public static double VelocityFromAse(double v) => v * Femtosecond;

    /// <summary>Velocity in ASE's Å per ASE time unit from Å/fs.</summary>
    public static double VelocityToAse(double v) => v / Femtosecond;
}
