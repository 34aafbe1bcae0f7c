using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Optimize.Constraints;

/// <summary>
/// A constraint in ASE's sense: it adjusts proposed positions and cells before they are set, and the forces and
/// stress after they are computed, so that an optimizer never moves along a forbidden direction.
/// </summary>
public interface IConstraint
{
    /// <summary>Adjusts <paramref name="proposed"/> in place, given the structure's current positions.</summary>
    void AdjustPositions(Structure structure, Vec3[] proposed);

    void AdjustForces(Structure structure, Vec3[] forces);

    void AdjustStress(Structure structure, ref Mat3 stress) { }

    /// <summary>Adjusts a proposed cell (rows are lattice vectors) given the structure's current cell.</summary>
    void AdjustCell(Structure structure, ref Mat3 proposedCell) { }
}
