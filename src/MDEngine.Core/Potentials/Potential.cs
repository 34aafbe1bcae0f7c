using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>What a caller wants computed; a potential computes only these (energy is always cheap to return).</summary>
[Flags]
public enum Quantities
{
    Energy = 1,
    Forces = 2,
    Stress = 4,
    AtomEnergies = 8,
    EnergyAndForces = Energy | Forces,
    All = Energy | Forces | Stress,
}

/// <summary>The result of one evaluation. Stress is in eV/Å³ with ASE's sign (σ = (1/V) ∂E/∂ε, negative under
/// compression); it is null for a structure that is not periodic in all three directions.</summary>
public sealed class PotentialResult
{
    public double Energy { get; init; }
    public Vec3[]? Forces { get; init; }
    public Mat3? Stress { get; init; }
    public double[]? AtomEnergies { get; init; }
    /// <summary>The smallest distance among the neighbor list's pairs (within its cutoff + skin), when the potential
    /// tracked it while computing (pair and EAM potentials do); null otherwise. Lets a caller check for overlapping
    /// atoms without another pass over the pairs.</summary>
    public double? ClosestPairDistance { get; init; }
}

/// <summary>
/// The one contract every interatomic potential implements, classical or machine-learned. A potential declares its
/// cutoff and the elements it covers, and implements one method: <see cref="Compute(PotentialBatch)"/>, which
/// evaluates a batch of structures, each with its neighbor list (built by the caller with at least
/// <see cref="Cutoff"/>, possibly plus a skin), into the batch's caller-owned buffers. A single structure is a batch
/// of one. Batched evaluation is what lets an ML potential on a GPU serve many structures in one model call; the
/// caller-owned force buffers are what let a molecular-dynamics loop run without allocating per step.
/// <para>Callers normally go through <see cref="BoundPotential"/>, which keeps the neighbor lists; the overloads
/// below are for a caller holding its own lists.</para>
/// </summary>
public abstract class Potential
{
    public abstract string Name { get; }

    /// <summary>Interaction range (Å).</summary>
    public abstract double Cutoff { get; }

    /// <summary>Atomic numbers the potential covers, or null when it covers any element.</summary>
    public virtual IReadOnlySet<int>? Elements => null;

    /// <summary>True when the potential wants a full neighbor list (i→j and j→i); pair potentials use a half list.</summary>
    public virtual bool NeedsFullNeighborList => false;

    /// <summary>
    /// Evaluates every structure of <paramref name="batch"/>: for structure b it computes what
    /// <see cref="PotentialBatch.Wanted"/> asks (never stress where the batch did not allow it), writes the forces
    /// into <see cref="PotentialBatch.ForcesOf"/> (overwriting them) and stores the rest with
    /// <see cref="PotentialBatch.Store"/>.
    /// </summary>
    public abstract void Compute(PotentialBatch batch);

    /// <summary>Evaluates one structure (a batch of one) into fresh arrays.</summary>
    public PotentialResult Compute(Structure structure, NeighborList neighbors, Quantities what)
    {
        var batch = new PotentialBatch(1);
        batch.Add(structure, neighbors, what);
        Compute(batch);
        return batch.Result(0);
    }

    /// <summary>
    /// Evaluates one structure with the forces written into <paramref name="forces"/> (one per atom, overwritten),
    /// which the result's <see cref="PotentialResult.Forces"/> then is: a molecular-dynamics loop keeps one array
    /// for all its steps instead of a fresh one per step.
    /// </summary>
    public PotentialResult Compute(Structure structure, NeighborList neighbors, Quantities what, Vec3[] forces)
    {
        var batch = new PotentialBatch(1);
        batch.Add(structure, neighbors, what, forces);
        Compute(batch);
        return batch.Result(0);
    }

    /// <summary>Evaluates a batch into fresh arrays, one result per structure.</summary>
    public PotentialResult[] ComputeBatch(IReadOnlyList<Structure> structures, IReadOnlyList<NeighborList> neighbors, Quantities what)
    {
        if (structures.Count != neighbors.Count) throw new ArgumentException($"{structures.Count} structures with {neighbors.Count} neighbor lists.");
        var batch = new PotentialBatch(structures.Count);
        for (int b = 0; b < structures.Count; b++) batch.Add(structures[b], neighbors[b], what);
        Compute(batch);
        return batch.Results();
    }

    /// <summary>Throws a clear error when the structure holds an element this potential does not cover.</summary>
    public void CheckCovers(Structure structure)
    {
        if (Elements is null) return;
        var missing = structure.Numbers.Distinct().Where(z => !Elements.Contains(z)).Select(z => Element.FromZ(z).Symbol).ToArray();
        if (missing.Length > 0)
            throw new PotentialCoverageException($"potential '{Name}' does not cover element{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)} " +
                $"(it covers {string.Join(", ", Elements.Order().Select(z => Element.FromZ(z).Symbol))})");
    }
}

public sealed class PotentialCoverageException(string message) : Exception(message);
