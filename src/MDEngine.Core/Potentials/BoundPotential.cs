using System.Runtime.CompilerServices;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>
/// A potential bound to the neighbor lists of the structures it evaluates (what ASE's calculator is to its atoms,
/// and JAX-MD's <c>neighbor_fn</c> built together with <c>energy_fn</c>): every structure gets its own Verlet list
/// (cutoff + <see cref="Skin"/>), kept while the structure lives and rebuilt only when its atoms moved too far or
/// its cell changed (<see cref="NeighborPolicy"/>); the elements of a structure are checked against the potential
/// once, when it is first seen; and it is the one place that decides which quantities a structure can have
/// (<see cref="QuantitiesFor"/>). Every driver, runner and test evaluates through it; a batch of structures is one
/// potential call.
/// <para>Not thread-safe: one binding per thread (a run, a relaxation batch).</para>
/// </summary>
public sealed class BoundPotential
{
    private readonly ConditionalWeakTable<Structure, Entry> _lists = [];
    private readonly PotentialBatch _batch = new();

    public Potential Potential { get; }

    /// <summary>The Verlet buffer (Å) added to the cutoff; 0 builds a fresh list whenever a structure moved.</summary>
    public double Skin { get; }

    /// <summary>When the lists consider rebuilding (LAMMPS's <c>neigh_modify</c>).</summary>
    public NeighborUpdatePolicy NeighborPolicy { get; }

    /// <summary>Structures evaluated (a batch of n counts n).</summary>
    public long Evaluations { get; private set; }

    /// <summary>Potential calls made (a batch counts one).</summary>
    public long PotentialCalls { get; private set; }

    /// <summary>Neighbor lists built, over all structures.</summary>
    public int NeighborListBuilds { get; private set; }

    public BoundPotential(Potential potential, double skin = 0.5, NeighborUpdatePolicy? neighborPolicy = null)
    {
        if (!(skin >= 0) || !double.IsFinite(skin)) throw new ArgumentOutOfRangeException(nameof(skin), "The skin must not be negative.");
        Potential = potential;
        Skin = skin;
        NeighborPolicy = neighborPolicy ?? NeighborUpdatePolicy.Safe;
    }

    /// <summary>
    /// What <paramref name="structure"/> can have of <paramref name="what"/>: a stress only when it is periodic in
    /// all three directions (a cell that is not closed has no volume to divide the virial by). The one place this
    /// rule is written; <see cref="PotentialBatch.Add"/> applies it to every structure entering a batch.
    /// </summary>
    public static Quantities QuantitiesFor(Structure structure, Quantities what) =>
        structure.Pbc.AllPeriodic ? what : what & ~Quantities.Stress;

    /// <summary>The structure's neighbor list at its current geometry (cutoff + skin): built the first time (after
    /// checking that the potential covers its elements), reused or rebuilt after.</summary>
    public NeighborList Neighbors(Structure structure)
    {
        if (!_lists.TryGetValue(structure, out var entry))
        {
            Potential.CheckCovers(structure);
            entry = new Entry(new VerletNeighborList(Potential.Cutoff, Skin, Potential.NeedsFullNeighborList, NeighborPolicy));
            _lists.AddOrUpdate(structure, entry);
        }
        int before = entry.Verlet.Builds;
        entry.Current = entry.Verlet.Update(structure);
        NeighborListBuilds += entry.Verlet.Builds - before;
        return entry.Current;
    }

    /// <summary>The list the structure's last evaluation used (null before its first), without updating it: for a
    /// caller that inspects the pairs after evaluating (a check for atoms that came too close).</summary>
    public NeighborList? CurrentNeighbors(Structure structure) =>
        _lists.TryGetValue(structure, out var entry) ? entry.Current : null;

    private sealed class Entry(VerletNeighborList verlet)
    {
        public VerletNeighborList Verlet { get; } = verlet;
        public NeighborList? Current { get; set; }
    }

    /// <summary>Forgets the structure's neighbor list, so that its next evaluation builds a fresh one (a checkpoint
    /// does this, so that a run restarted from it and the run that wrote it keep identical lists).</summary>
    public void ResetNeighbors(Structure structure) => _lists.Remove(structure);

    /// <summary>Evaluates one structure (a batch of one); the forces go into <paramref name="forces"/> when given
    /// (one per atom, overwritten), else into a fresh array.</summary>
    public PotentialResult Compute(Structure structure, Quantities what = Quantities.All, Vec3[]? forces = null)
    {
        _batch.Clear();
        _batch.Add(structure, Neighbors(structure), what, forces);
        Run(_batch);
        var result = _batch.Result(0);
        _batch.Clear();
        return result;
    }

    /// <summary>Evaluates several structures in one potential call, each with its own neighbor list; one result per
    /// structure, in their order.</summary>
    public PotentialResult[] Compute(IReadOnlyList<Structure> structures, Quantities what = Quantities.All)
    {
        var batch = new PotentialBatch(structures.Count);
        foreach (var s in structures) batch.Add(s, Neighbors(s), what);
        Run(batch);
        return batch.Results();
    }

    /// <summary>As <see cref="Compute(IReadOnlyList{Structure}, Quantities)"/>, with what is wanted of each.</summary>
    public PotentialResult[] Compute(IReadOnlyList<Structure> structures, IReadOnlyList<Quantities> what)
    {
        if (structures.Count != what.Count) throw new ArgumentException($"{structures.Count} structures and {what.Count} requests.");
        var batch = new PotentialBatch(structures.Count);
        for (int b = 0; b < structures.Count; b++) batch.Add(structures[b], Neighbors(structures[b]), what[b]);
        Run(batch);
        return batch.Results();
    }

    /// <summary>Evaluates and stores the results on the structure (energy and stress in Info, forces in Arrays),
    /// so that they are written with it.</summary>
    public PotentialResult ComputeAndStore(Structure structure, Quantities what = Quantities.All)
    {
        var result = Compute(structure, what);
        structure.Energy = result.Energy;
        if (result.Forces is not null) structure.Forces = result.Forces;
        if (result.Stress is not null) structure.Stress = result.Stress;
        return result;
    }

    /// <summary>Calls the potential on a batch whose lists came from <see cref="Neighbors"/>.</summary>
    public void Run(PotentialBatch batch)
    {
        Potential.Compute(batch);
        Evaluations += batch.Count;
        PotentialCalls++;
    }
}
