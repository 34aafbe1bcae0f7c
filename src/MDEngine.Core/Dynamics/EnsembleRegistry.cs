namespace MDEngine.Dynamics;

/// <summary>
/// Everything an integrator may take, in the units a user gives them (fs, K, 1/ps, GPa, 1/GPa); each ensemble reads
/// only the ones it lists in <see cref="EnsembleKind.Options"/>.
/// </summary>
public sealed record IntegratorSettings
{
    public double TimeStep { get; init; } = 1.0;
    /// <summary>Target temperature (K).</summary>
    public double Temperature { get; init; }
    /// <summary>Langevin friction (1/ps).</summary>
    public double FrictionPerPs { get; init; } = 2.0;
    /// <summary>Thermostat time constant (fs).</summary>
    public double TauT { get; init; } = 100.0;
    /// <summary>Barostat time constant (fs).</summary>
    public double TauP { get; init; } = 1000.0;
    /// <summary>Target pressure (GPa).</summary>
    public double PressureGPa { get; init; }
    /// <summary>Compressibility (1/GPa); for C-rescale it only sets the relaxation time of the cell.</summary>
    public double CompressibilityPerGPa { get; init; } = 0.01;
    public CellCoupling Cell { get; init; } = CellCoupling.Isotropic;
    /// <summary>Nosé–Hoover chain length.</summary>
    public int Chain { get; init; } = 3;
    /// <summary>Seed of the random stream of a stochastic integrator.</summary>
    public ulong Seed { get; init; } = 1;
}

/// <summary>One ensemble a user can name: its name, what it is, the settings it reads (as option names without the
/// dashes: temperature, friction, tau-t, tau-p, pressure, compressibility, cell, chain, seed), whether it draws random
/// numbers, and how to make its integrator.</summary>
public sealed record EnsembleKind(string Name, string Description, IReadOnlyList<string> Options, bool Stochastic,
    Func<IntegratorSettings, Integrator> Create)
{
    /// <summary>Every ensemble but NVE holds a temperature.</summary>
    public bool NeedsTemperature => Options.Contains("temperature");
}

/// <summary>
/// The molecular-dynamics ensembles by name, as <c>mdengine md --ensemble</c> offers them: the command reads their
/// names, help text and validation from here (as <see cref="Optimize.OptimizerRegistry"/> does for optimizers), so a
/// new integrator is one entry. Unit conversions to the internal eV/Å/fs/amu units happen here, once.
/// </summary>
public static class EnsembleRegistry
{
    public static IReadOnlyList<EnsembleKind> All { get; } =
    [
        new("nve", "velocity Verlet, constant energy", [], false, s => new VelocityVerlet(s.TimeStep)),
        new("langevin", "Langevin thermostat (BAOAB)", ["temperature", "friction", "seed"], true,
            s => new Langevin(s.TimeStep, s.Temperature, s.FrictionPerPs / 1000, s.Seed)),
        new("bussi", "Bussi–Donadio–Parrinello stochastic velocity rescaling", ["temperature", "tau-t", "seed"], true,
            s => new Bussi(s.TimeStep, s.Temperature, s.TauT, s.Seed)),
        new("nose-hoover", "Nosé–Hoover chain thermostat", ["temperature", "tau-t", "chain"], false,
            s => new NoseHoover(s.TimeStep, s.Temperature, s.TauT, s.Chain)),
        new("berendsen", "Berendsen weak-coupling thermostat (not canonical)", ["temperature", "tau-t"], false,
            s => new Berendsen(s.TimeStep, s.Temperature, s.TauT)),
        new("npt-crescale", "stochastic cell rescaling (Bernetti–Bussi) with a Bussi thermostat", ["temperature", "tau-t", "pressure", "tau-p", "compressibility", "cell", "seed"], true,
            s => new CRescale(s.TimeStep, s.Temperature, s.TauT, s.PressureGPa / MdUnits.GPaPerEvPerA3, s.TauP,
                s.CompressibilityPerGPa * MdUnits.GPaPerEvPerA3, s.Cell, s.Seed)),
        new("npt-mtk", "Martyna–Tobias–Klein NPT with Nosé–Hoover chains", ["temperature", "tau-t", "pressure", "tau-p", "chain"], false,
            s => new MtkNpt(s.TimeStep, s.Temperature, s.TauT, s.PressureGPa / MdUnits.GPaPerEvPerA3, s.TauP, s.Chain)),
    ];

    public static string Names => string.Join(", ", All.Select(k => k.Name));

    /// <summary>The ensemble named <paramref name="name"/> (any case), or null.</summary>
    public static EnsembleKind? Find(string name) => All.FirstOrDefault(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>"isotropic", or "anisotropic" (also "triclinic"): how C-rescale couples the cell.</summary>
    public static CellCoupling ParseCellCoupling(string text) => text.ToLowerInvariant() switch
    {
        "isotropic" => CellCoupling.Isotropic,
        "anisotropic" or "triclinic" => CellCoupling.Anisotropic,
        _ => throw new ArgumentException($"cell coupling '{text}': expected isotropic or anisotropic"),
    };
}
