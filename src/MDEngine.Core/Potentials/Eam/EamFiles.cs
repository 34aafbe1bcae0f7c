using MDEngine.Structures;

namespace MDEngine.Potentials.Eam;

/// <summary>A DYNAMO funcfl (<c>.eam</c>) file: one element; F(ρ) on nrho points from 0 with step drho, the effective
/// charge Z(r) and the density ρ(r) on nr points from 0 with step dr. Arrays are 1-based (index 0 unused), as in
/// LAMMPS, so the interpolation below reads like the formulas it reproduces.</summary>
public sealed class FuncflFile
{
    public required int AtomicNumber { get; init; }
    public required double Mass { get; init; }
    public required int Nrho { get; init; }
    public required double Drho { get; init; }
    public required int Nr { get; init; }
    public required double Dr { get; init; }
    public required double Cutoff { get; init; }
    public required double[] F { get; init; }
    public required double[] Z { get; init; }
    public required double[] Rho { get; init; }
    public string Header { get; init; } = "";

    public static FuncflFile Read(string path)
    {
        var reader = TokenReader.Open(path);
        string header = reader.NextRawLine();
        var line2 = reader.NextTokens();
        if (line2.Length < 2) throw reader.Error("expected the atomic number and mass");
        int z = reader.ParseInt(line2[0], "atomic number");
        if (z < 1 || z > Element.MaxZ) throw reader.Error($"atomic number {z} is not an element");
        double mass = reader.ParseDouble(line2[1], "mass");
        var grid = reader.NextTokens();
        if (grid.Length < 5) throw reader.Error("expected nrho drho nr dr cutoff");
        int nrho = reader.ParseInt(grid[0], "nrho"), nr = reader.ParseInt(grid[2], "nr");
        double drho = reader.ParseDouble(grid[1], "drho"), dr = reader.ParseDouble(grid[3], "dr"), cut = reader.ParseDouble(grid[4], "cutoff");
        if (nrho < 5 || nr < 5 || !(drho > 0) || !(dr > 0) || !(cut > 0)) throw reader.Error("invalid tabulation (nrho, nr ≥ 5, positive drho, dr and cutoff are needed)");
        return new FuncflFile
        {
            AtomicNumber = z, Mass = mass, Nrho = nrho, Drho = drho, Nr = nr, Dr = dr, Cutoff = cut, Header = header,
            F = OneBased(reader.NextDoubles(nrho, "F(rho)")),
            Z = OneBased(reader.NextDoubles(nr, "Z(r)")),
            Rho = OneBased(reader.NextDoubles(nr, "rho(r)")),
        };
    }

    internal static double[] OneBased(double[] values)
    {
        var a = new double[values.Length + 1];
        values.CopyTo(a, 1);
        return a;
    }
}

/// <summary>A DYNAMO setfl file: <c>.eam.alloy</c> (one density function per element) or, with
/// <see cref="FinnisSinclair"/>, <c>.eam.fs</c> (a density function per element pair). Pair functions are tabulated
/// as r·φ(r) in eV·Å for i ≥ j. Arrays are 1-based as in LAMMPS.</summary>
public sealed class SetflFile
{
    public required bool FinnisSinclair { get; init; }
    public required string[] Elements { get; init; }
    public required int[] AtomicNumbers { get; init; }
    public required double[] Masses { get; init; }
    public required int Nrho { get; init; }
    public required double Drho { get; init; }
    public required int Nr { get; init; }
    public required double Dr { get; init; }
    public required double Cutoff { get; init; }
    /// <summary>F[i] embedding energy of element i.</summary>
    public required double[][] F { get; init; }
    /// <summary>Rho[i][j]: for setfl j = 0 only (density of element i); for Finnis–Sinclair the function listed as
    /// the j-th in element i's block, the density an atom of element i gives at an atom of element j.</summary>
    public required double[][][] Rho { get; init; }
    /// <summary>RPhi[i][j] for j ≤ i: r·φ_ij(r).</summary>
    public required double[][][] RPhi { get; init; }
    public string[] Header { get; init; } = [];

    public static SetflFile Read(string path, bool finnisSinclair)
    {
        var reader = TokenReader.Open(path);
        var header = new[] { reader.NextRawLine(), reader.NextRawLine(), reader.NextRawLine() };
        var names = reader.NextTokens();
        int n = reader.ParseInt(names[0], "number of elements");
        if (n < 1 || names.Length != n + 1) throw reader.Error($"expected {Math.Max(n, 1)} element names after the count");
        var elements = names[1..];
        var numbers = elements.Select(e => Structures.Element.TryFromSymbol(e, out var el) ? el.Z : throw reader.Error($"unknown element '{e}'")).ToArray();
        var grid = reader.NextTokens();
        if (grid.Length < 5) throw reader.Error("expected nrho drho nr dr cutoff");
        int nrho = reader.ParseInt(grid[0], "nrho"), nr = reader.ParseInt(grid[2], "nr");
        double drho = reader.ParseDouble(grid[1], "drho"), dr = reader.ParseDouble(grid[3], "dr"), cut = reader.ParseDouble(grid[4], "cutoff");
        if (nrho < 5 || nr < 5 || !(drho > 0) || !(dr > 0) || !(cut > 0)) throw reader.Error("invalid tabulation (nrho, nr ≥ 5, positive drho, dr and cutoff are needed)");
        var masses = new double[n];
        var f = new double[n][];
        var rho = new double[n][][];
        for (int i = 0; i < n; i++)
        {
            var line = reader.NextTokens();
            if (line.Length < 2) throw reader.Error($"expected the atomic number and mass of {elements[i]}");
            masses[i] = reader.ParseDouble(line[1], "mass");
            f[i] = FuncflFile.OneBased(reader.NextDoubles(nrho, $"F(rho) of {elements[i]}"));
            int densities = finnisSinclair ? n : 1;
            rho[i] = new double[densities][];
            for (int j = 0; j < densities; j++)
                rho[i][j] = FuncflFile.OneBased(reader.NextDoubles(nr, $"rho(r) of {elements[i]}"));
        }
        var rphi = new double[n][][];
        for (int i = 0; i < n; i++)
        {
            rphi[i] = new double[i + 1][];
            for (int j = 0; j <= i; j++) rphi[i][j] = FuncflFile.OneBased(reader.NextDoubles(nr, $"r*phi(r) of {elements[i]}-{elements[j]}"));
        }
        return new SetflFile
        {
            FinnisSinclair = finnisSinclair, Elements = elements, AtomicNumbers = numbers, Masses = masses, Nrho = nrho, Drho = drho, Nr = nr,
            Dr = dr, Cutoff = cut, F = f, Rho = rho, RPhi = rphi, Header = header,
        };
    }
}
