namespace MDEngine.Optimize;

/// <summary>One optimizer a user can name: its name, what it is, whether it takes a line search, and how to make one.</summary>
public sealed record OptimizerKind(string Name, string Description, bool TakesLineSearch, Func<bool, Optimizer> Create);

/// <summary>
/// The optimizers by name, as the command line offers them (mace-torch's class tables in spirit): the commands read
/// their names, help text and validation from here, so a new optimizer is one entry.
/// </summary>
public static class OptimizerRegistry
{
    public static IReadOnlyList<OptimizerKind> All { get; } =
    [
        new("fire", "FIRE (Bitzek et al. 2006), ASE's defaults", false, _ => new Fire()),
        new("fire2", "FIRE 2.0 (Guénolé et al. 2020)", false, _ => new Fire2()),
        new("bfgs", "BFGS, ASE's algorithm and defaults", true, search => new Bfgs { UseLineSearch = search }),
        new("lbfgs", "L-BFGS (memory 100, α = 70 eV/Å²), ASE's algorithm and defaults", true, search => new Lbfgs { UseLineSearch = search }),
    ];

    public static string Names => string.Join(", ", All.Select(k => k.Name));

    /// <summary>The optimizer named <paramref name="name"/> (any case), or null.</summary>
    public static OptimizerKind? Find(string name) => All.FirstOrDefault(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
