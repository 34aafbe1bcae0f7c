using BenchmarkDotNet.Attributes;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Benchmarks;

/// <summary>
/// Force evaluation of the LJ and EAM kernels on LAMMPS's benchmark systems (bench/in.lj: fcc at reduced density
/// 0.8442, cutoff 2.5σ, skin 0.3σ; bench/in.eam: fcc Cu, 3.615 Å, skin 1 Å), neighbor lists built in setup.
/// Run: mdengine bench kernels --filter '*PotentialBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class PotentialBenchmarks
{
    private Structure _lj = null!, _cu = null!;
    private NeighborList _ljList = null!, _cuList = null!;
    private Potential _ljPotential = null!, _eam = null!;

    /// <summary>fcc unit cells per edge: 20 is LAMMPS's 32,000 atoms.</summary>
    [Params(10, 20)] public int Cells { get; set; }

    [Params(1, 2)] public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        PotentialParallelism.MaxThreads = Threads;
        _ljPotential = new LennardJones(1.0, 1.0, 2.5);
        _lj = TestSystems.Fcc(18, Math.Pow(4 / 0.8442, 1.0 / 3.0), Cells);
        _ljList = NeighborListBuilder.Build(_lj, 2.5 + 0.3, full: false);
        string file = Path.Combine(PotentialsDirectory.Find() ?? throw new DirectoryNotFoundException("potentials/ not found"), "Cu_Zhou04.eam.alloy");
        _eam = PotentialSpec.FromFile(file);
        _cu = TestSystems.Fcc(29, 3.615, Cells);
        _cuList = NeighborListBuilder.Build(_cu, _eam.Cutoff + 1.0, full: false);
    }

    [GlobalCleanup]
    public void Cleanup() => PotentialParallelism.MaxThreads = Environment.ProcessorCount;

    [Benchmark] public double LennardJonesForces() => _ljPotential.Compute(_lj, _ljList, Quantities.EnergyAndForces).Energy;

    [Benchmark] public double EamForces() => _eam.Compute(_cu, _cuList, Quantities.EnergyAndForces).Energy;

    /// <summary>Pair-vector refresh plus forces: one step's force work with a Verlet list.</summary>
    [Benchmark]
    public double LennardJonesStep()
    {
        _ljList.UpdateGeometry(_lj.Positions, _lj.Cell.Matrix);
        return _ljPotential.Compute(_lj, _ljList, Quantities.EnergyAndForces).Energy;
    }
}
