using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>
/// A batch of structures for one <see cref="Potential.Compute(PotentialBatch)"/> call (TorchSim's state with a
/// system index): each structure with its neighbor list and what is wanted of it, and the caller-owned buffers the
/// potential writes into: one force array per structure (the caller's own, or a fresh one), and the energy, stress,
/// per-atom energies and closest pair distance of each. A batch is reusable: <see cref="Clear"/> empties it and keeps
/// its arrays, so a caller that evaluates at every step allocates nothing per step.
/// <para>What a structure can have is decided once, as it enters: <see cref="Add"/> clips the wanted quantities with
/// <see cref="BoundPotential.QuantitiesFor"/> (no stress unless periodic in all three directions), so no potential
/// checks that rule itself.</para>
/// </summary>
public sealed class PotentialBatch
{
    private Structure[] _structures;
    private NeighborList[] _neighbors;
    private Quantities[] _wanted;
    private Vec3[]?[] _forces;
    private double[] _energies;
    private Mat3?[] _stresses;
    private double[]?[] _atomEnergies;
    private double?[] _closestPair;

    public PotentialBatch(int capacity = 1)
    {
        capacity = Math.Max(capacity, 1);
        _structures = new Structure[capacity];
        _neighbors = new NeighborList[capacity];
        _wanted = new Quantities[capacity];
        _forces = new Vec3[]?[capacity];
        _energies = new double[capacity];
        _stresses = new Mat3?[capacity];
        _atomEnergies = new double[]?[capacity];
        _closestPair = new double?[capacity];
    }

    /// <summary>Structures in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>The union of what is wanted of the structures: what a potential that computes the whole batch in one
    /// call (an ML model) asks for.</summary>
    public Quantities Union { get; private set; }

    /// <summary>Empties the batch, keeping its arrays.</summary>
    public void Clear()
    {
        Array.Clear(_structures, 0, Count);
        Array.Clear(_neighbors, 0, Count);
        Array.Clear(_forces, 0, Count);
        Array.Clear(_atomEnergies, 0, Count);
        Count = 0;
        Union = 0;
    }

    /// <summary>
    /// Adds a structure with its neighbor list; returns its index. The forces go into <paramref name="forces"/> (one
    /// per atom, overwritten) when given, else into a fresh array. Energy is always computed.
    /// </summary>
    public int Add(Structure structure, NeighborList neighbors, Quantities what, Vec3[]? forces = null)
    {
        if (structure.Positions.Length != neighbors.AtomCount)
            throw new ArgumentException($"{structure.Positions.Length} atoms for a neighbor list of {neighbors.AtomCount}.");
        what = BoundPotential.QuantitiesFor(structure, what);
        if (Count == _structures.Length) Grow();
        int b = Count++;
        _structures[b] = structure;
        _neighbors[b] = neighbors;
        _wanted[b] = what;
        if ((what & Quantities.Forces) != 0)
        {
            if (forces is not null && forces.Length != structure.Count)
                throw new ArgumentException($"{forces.Length} force slots for {structure.Count} atoms.", nameof(forces));
            _forces[b] = forces ?? new Vec3[structure.Count];
        }
        else _forces[b] = null;
        _energies[b] = 0;
        _stresses[b] = null;
        _atomEnergies[b] = null;
        _closestPair[b] = null;
        Union |= what;
        return b;
    }

    public Structure Structure(int b) => _structures[Check(b)];
    public NeighborList Neighbors(int b) => _neighbors[Check(b)];

    /// <summary>What is wanted of structure <paramref name="b"/>, already limited to what it can have.</summary>
    public Quantities Wanted(int b) => _wanted[Check(b)];

    public bool Wants(int b, Quantities q) => (_wanted[Check(b)] & q) == q;

    /// <summary>Where the forces on structure <paramref name="b"/> go (one per atom), or null when not wanted.</summary>
    public Vec3[]? ForcesOf(int b) => _forces[Check(b)];

    /// <summary>Stores what the potential computed for structure <paramref name="b"/> besides its forces; a stress
    /// or per-atom energies that were not wanted are dropped.</summary>
    public void Store(int b, double energy, Mat3? stress = null, double[]? atomEnergies = null, double? closestPairDistance = null)
    {
        Check(b);
        _energies[b] = energy;
        _stresses[b] = (_wanted[b] & Quantities.Stress) != 0 ? stress : null;
        _atomEnergies[b] = (_wanted[b] & Quantities.AtomEnergies) != 0 ? atomEnergies : null;
        _closestPair[b] = closestPairDistance;
    }

    /// <summary>Stores a structure's result computed on its own; its forces are copied into the batch's array unless
    /// they were computed there.</summary>
    public void Store(int b, PotentialResult result)
    {
        if (ForcesOf(b) is { } destination && result.Forces is { } forces && !ReferenceEquals(forces, destination))
            forces.AsSpan().CopyTo(destination);
        Store(b, result.Energy, result.Stress, result.AtomEnergies, result.ClosestPairDistance);
    }

    /// <summary>
    /// Evaluates the structures one after another with <paramref name="compute"/> (structure, its neighbor list,
    /// what is wanted, where its forces go — null when not wanted) and stores each result: how a potential that has
    /// nothing to gain from batching (the classical ones, threaded within a structure) implements
    /// <see cref="Potential.Compute(PotentialBatch)"/>.
    /// </summary>
    public void ComputeEach(Func<Structure, NeighborList, Quantities, Vec3[]?, PotentialResult> compute)
    {
        for (int b = 0; b < Count; b++) Store(b, compute(_structures[b], _neighbors[b], _wanted[b], _forces[b]));
    }

    public double Energy(int b) => _energies[Check(b)];
    public Mat3? Stress(int b) => _stresses[Check(b)];
    public double[]? AtomEnergies(int b) => _atomEnergies[Check(b)];
    public double? ClosestPairDistance(int b) => _closestPair[Check(b)];

    /// <summary>Structure <paramref name="b"/>'s results (its forces are the batch's force array for it).</summary>
    public PotentialResult Result(int b) => new()
    {
        Energy = Energy(b), Forces = ForcesOf(b), Stress = Stress(b), AtomEnergies = AtomEnergies(b),
        ClosestPairDistance = ClosestPairDistance(b),
    };

    public PotentialResult[] Results()
    {
        var results = new PotentialResult[Count];
        for (int b = 0; b < Count; b++) results[b] = Result(b);
        return results;
    }

    private int Check(int b) => (uint)b < (uint)Count ? b : throw new ArgumentOutOfRangeException(nameof(b), $"structure {b} of a batch of {Count}");

    private void Grow()
    {
        int n = 2 * _structures.Length;
        Array.Resize(ref _structures, n);
        Array.Resize(ref _neighbors, n);
        Array.Resize(ref _wanted, n);
        Array.Resize(ref _forces, n);
        Array.Resize(ref _energies, n);
        Array.Resize(ref _stresses, n);
        Array.Resize(ref _atomEnergies, n);
        Array.Resize(ref _closestPair, n);
    }
}
