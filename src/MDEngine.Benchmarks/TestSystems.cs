using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Benchmarks;

/// <summary>The structures the benchmarks time: LAMMPS's benchmark lattices and rattled crystals for the ML models.</summary>
public static class TestSystems
{
    private static readonly Vec3[] FccBasis = [new(0, 0, 0), new(0, .5, .5), new(.5, 0, .5), new(.5, .5, 0)];

    /// <summary>fcc lattice of n³ cubic cells in the order of LAMMPS's <c>lattice fcc</c> + <c>create_atoms</c>.</summary>
    public static Structure Fcc(int z, double a, int n = 1)
    {
        var positions = new List<Vec3>(4 * n * n * n);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++)
                    foreach (var b in FccBasis) positions.Add(a * new Vec3(i + b.X, j + b.Y, k + b.Z));
        return new Structure(Enumerable.Repeat(z, positions.Count).ToArray(), positions, Cell.Cubic(a * n), Pbc.All);
    }

    /// <summary>Diamond Si (a = 5.43 Å) repeated n×n×n (8n³ atoms), every atom displaced by up to ±0.05 Å.</summary>
    public static Structure RattledSilicon(int n, int seed)
    {
        Vec3[] basis = [.. FccBasis, .. FccBasis.Select(b => b + new Vec3(0.25, 0.25, 0.25))];
        return Rattled(basis.Select(b => (b, 14)).ToArray(), 5.43, n, seed);
    }

    /// <summary>Rock-salt NaCl (a = 5.64 Å) repeated n×n×n (8n³ atoms), every atom displaced by up to ±0.05 Å.</summary>
    public static Structure RattledRockSalt(int n, int seed) =>
        Rattled(FccBasis.SelectMany(b => new[] { (b, 11), (b + new Vec3(0.5, 0, 0), 17) }).ToArray(), 5.64, n, seed);

    /// <summary>A cubic cell (fractional basis, lattice constant a) repeated n×n×n, cell by cell, each atom moved by a
    /// uniform random vector of components in ±0.05 Å.</summary>
    private static Structure Rattled((Vec3 Fractional, int Z)[] basis, double a, int n, int seed)
    {
        var rng = new Random(seed);
        var positions = new List<Vec3>();
        var numbers = new List<int>();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++)
                    foreach (var (b, z) in basis)
                    {
                        var jitter = new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * 0.1;
                        positions.Add((b + new Vec3(i, j, k)) * a + jitter);
                        numbers.Add(z);
                    }
        return new Structure(numbers, positions, Cell.Cubic(a * n), Pbc.All);
    }
}
