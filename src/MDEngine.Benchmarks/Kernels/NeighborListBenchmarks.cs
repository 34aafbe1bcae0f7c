using BenchmarkDotNet.Attributes;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Benchmarks;

/// <summary>Neighbor-list builds on fcc Cu (a = 3.615 Å) at a 5 Å cutoff: about 1k, 10k and 100k atoms, half and
/// full lists, 1 and 2 threads. The half list has 21 pairs per atom, the full list 42 entries per atom.</summary>
[MemoryDiagnoser]
public class NeighborListBenchmarks
{
    [Params(1008, 10192, 100920)]
    public int Atoms;

    [Params(false, true)]
    public bool Full;

    [Params(1, 2)]
    public int Threads;

    private Structure _copper = null!;

    [GlobalSetup]
    public void Setup()
    {
        // 4 atoms per conventional cell: 6×6×7, 14×14×13 and 29×29×30 cells.
        var (na, nb, nc) = Atoms switch { 1008 => (6, 6, 7), 10192 => (14, 14, 13), 100920 => (29, 29, 30), _ => throw new ArgumentException($"no supercell for {Atoms} atoms") };
        _copper = Supercell.Repeat(TestSystems.Fcc(29, 3.615), na, nb, nc);
    }

    [Benchmark]
    public int Build() => LinkedCellNeighbors.Build(_copper, 5.0, Full, threads: Threads).Count;
}

/// <summary>The system of LAMMPS's bench/in.lj: 32,000 Lennard-Jones atoms on an fcc lattice at reduced density
/// 0.8442, half list to 2.5σ + 0.3σ skin (σ = 1 Å here): about 1.24 M pairs. LAMMPS builds its (index-only) half
/// list for this system in ~50 ms on one core.</summary>
[MemoryDiagnoser]
public class LammpsLjNeighborBenchmark
{
    [Params(1, 2)]
    public int Threads;

    private Structure _lj = null!;

    [GlobalSetup]
    public void Setup() => _lj = Supercell.Repeat(TestSystems.Fcc(18, Math.Cbrt(4 / 0.8442)), 20, 20, 20);

    [Benchmark]
    public int HalfList() => LinkedCellNeighbors.Build(_lj, 2.8, full: false, threads: Threads).Count;
}
