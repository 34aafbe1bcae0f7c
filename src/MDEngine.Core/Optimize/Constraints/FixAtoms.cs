using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Optimize.Constraints;

/// <summary>Keeps the listed atoms where they are (ASE's FixAtoms): their proposed moves are undone and their forces
/// zeroed. Under a cell filter they still follow the homogeneous deformation of the cell, as in ASE.</summary>
public sealed class FixAtoms : IConstraint
{
    public IReadOnlyList<int> Indices { get; }

    public FixAtoms(IEnumerable<int> indices)
    {
        Indices = indices.Distinct().Order().ToArray();
        if (Indices.Any(i => i < 0)) throw new ArgumentException("Atom indices must not be negative.");
    }

    public void AdjustPositions(Structure structure, Vec3[] proposed)
    {
        foreach (int i in Indices) proposed[i] = structure.Positions[i];
    }

    public void AdjustForces(Structure structure, Vec3[] forces)
    {
        foreach (int i in Indices) forces[i] = Vec3.Zero;
    }
}
