namespace MDEngine.Dynamics;

/// <summary>
/// Unit conversions for dynamics. Internally: eV, Å, fs, amu, K; velocities in Å/fs.
/// Newton's law a = F/m with F in eV/Å and m in amu gives eV/(Å·amu); one eV/amu is
/// (1.602176634e-19 J)/(1.66053906660e-27 kg) = 9.64853321e7 m²/s² = 9.64853321e-3 Å²/fs² (CODATA 2018),
/// which is 1/(ASE's units.fs)² in ASE's time unit Å·sqrt(amu/eV) ≈ 10.18 fs.
/// </summary>
public static class MdUnits
{
    /// <summary>Elementary charge (J/eV), CODATA 2018 exact.</summary>
    public const double ElectronVolt = 1.602176634e-19;

    /// <summary>Atomic mass constant (kg/amu), CODATA 2018.</summary>
    public const double AtomicMass = 1.66053906660e-27;

    /// <summary>eV/amu expressed in Å²/fs²: multiply F/m (eV/Å/amu) by this to get Å/fs².</summary>
    public const double EvPerAmuInA2PerFs2 = ElectronVolt / AtomicMass * 1e-10;

    /// <summary>Boltzmann constant in eV/K (CODATA 2018 exact k / e).</summary>
    public const double Boltzmann = 1.380649e-23 / ElectronVolt;

    /// <summary>GPa per eV/Å³: the project-wide CLI convention, 1/(ASE's units.GPa) (CODATA 2014's e; CODATA 2018
    /// gives 160.2176634, 4e-9 relative higher).</summary>
    public const double GPaPerEvPerA3 = 160.21766208;

    /// <summary>Kinetic energy (eV) of a mass (amu) moving at speed² (Å²/fs²).</summary>
    public static double KineticEnergy(double mass, double speedSquared) => 0.5 * mass * speedSquared / EvPerAmuInA2PerFs2;
}
