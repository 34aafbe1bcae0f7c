using MDEngine.Optimize;
using MDEngine.Structures;

namespace MDEngine.Workflows;

/// <summary>One relaxed structure: the state kept (the final one when converged, the last finite one when a
/// non-finite number stopped it, the lowest-objective one otherwise), its result, the energy it started from and
/// its space group before and after (null for a structure that is not a 3D crystal).</summary>
public sealed record RelaxedStructure(
    string Label,
    Structure Kept,
    RelaxResult Result,
    double? InitialEnergy,
    string? SpaceGroupBefore,
    string? SpaceGroupAfter)
{
    public bool Converged => Result.Converged;
}

/// <summary>What <see cref="RelaxRunner"/> did: every structure in input order, and how many did not converge.</summary>
public sealed record RelaxReport(string PotentialName, IReadOnlyList<RelaxedStructure> Structures)
{
    public int Failures => Structures.Count(s => !s.Converged);
}
