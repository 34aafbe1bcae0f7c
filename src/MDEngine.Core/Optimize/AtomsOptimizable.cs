using MDEngine.Geometry;
using MDEngine.Optimize.Constraints;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>Atom positions as the generalized coordinates (a fixed cell): what ASE optimizers see on bare Atoms.</summary>
public sealed class AtomsOptimizable : IOptimizable
{
    private readonly IConstraint[] _constraints;

    public Structure Structure { get; }
    public IReadOnlyList<IConstraint> Constraints => _constraints;
    public int Rows => Structure.Count;
    public int Version { get; private set; }
    public Quantities Needs => Quantities.All;

    public AtomsOptimizable(Structure structure, IEnumerable<IConstraint>? constraints = null)
    {
        Structure = structure;
        _constraints = constraints?.ToArray() ?? [];
    }

    public double[] GetCoordinates() => Structure.FromVec3(Structure.Positions);

    public void SetCoordinates(ReadOnlySpan<double> coordinates)
    {
        var proposed = new Vec3[Structure.Count];
        for (int i = 0; i < proposed.Length; i++) proposed[i] = new Vec3(coordinates[3 * i], coordinates[3 * i + 1], coordinates[3 * i + 2]);
        foreach (var c in _constraints) c.AdjustPositions(Structure, proposed);
        Structure.SetPositions(proposed);
        Version++;
    }

    public Evaluation Absorb(PotentialResult result)
    {
        var forces = (Vec3[])(result.Forces ?? throw new InvalidOperationException("The potential returned no forces.")).Clone();
        foreach (var c in _constraints) c.AdjustForces(Structure, forces);
        Mat3? stress = result.Stress;
        if (stress is Mat3 s)
        {
            foreach (var c in _constraints) c.AdjustStress(Structure, ref s);
            stress = s;
        }
        return new Evaluation
        {
            Objective = result.Energy, Energy = result.Energy, Forces = Structure.FromVec3(forces), AtomForces = forces,
            Stress = stress, Raw = result,
        };
    }
}
