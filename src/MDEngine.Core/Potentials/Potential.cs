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
/// cutoff and the elements it covers, and evaluates a batch of structures, each with its neighbor list (built by the
/// caller with at least <see cref="Cutoff"/>, possibly plus a skin). A single structure is a batch of one.
/// Batched evaluation is what lets an ML potential on a GPU serve many structures in one model call.
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

    /// <summary>Evaluates one structure.</summary>
    public abstract PotentialResult Compute(Structure structure, NeighborList neighbors, Quantities what);

    /// <summary>
    /// Evaluates one structure with the forces written into <paramref name="forces"/> (one per atom, overwritten),
    /// which the result's <see cref="PotentialResult.Forces"/> then is: a molecular-dynamics loop keeps one array
    /// for all its steps instead of a fresh one per step. The default computes into a new array and copies; the
    /// classical potentials accumulate into <paramref name="forces"/> directly. The values are those of
    /// <see cref="Compute(Structure, NeighborList, Quantities)"/>, bit for bit.
    /// </summary>
    public virtual PotentialResult Compute(Structure structure, NeighborList neighbors, Quantities what, Vec3[] forces)
    {
        if (forces.Length != structure.Count) throw new ArgumentException($"{forces.Length} force slots for {structure.Count} atoms.", nameof(forces));
        var result = Compute(structure, neighbors, what);
        if (result.Forces is null) return result;
        result.Forces.AsSpan().CopyTo(forces);
        return new PotentialResult
        {
            Energy = result.Energy, Forces = forces, Stress = result.Stress, AtomEnergies = result.AtomEnergies,
            ClosestPairDistance = result.ClosestPairDistance,
        };
    }

    /// <summary>Checks a caller's force array for <see cref="Compute(Structure, NeighborList, Quantities, Vec3[])"/>.</summary>
    protected static Vec3[] CheckForceBuffer(Structure structure, Vec3[] forces) =>
        forces.Length == structure.Count ? forces : throw new ArgumentException($"{forces.Length} force slots for {structure.Count} atoms.", nameof(forces));

    /// <summary>Evaluates a batch; the default evaluates structure by structure. ML potentials override it with one
    /// model call for the whole batch.</summary>
    public virtual PotentialResult[] ComputeBatch(IReadOnlyList<Structure> structures, IReadOnlyList<NeighborList> neighbors, Quantities what)
    {
        var results = new PotentialResult[structures.Count];
        for (int b = 0; b < structures.Count; b++) results[b] = Compute(structures[b], neighbors[b], what);
        return results;
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
