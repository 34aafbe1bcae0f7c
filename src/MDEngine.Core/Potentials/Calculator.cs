using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>
/// Binds a potential to a structure's evolving geometry, as ASE's calculator does: it keeps a Verlet neighbor
/// list (cutoff + skin) and rebuilds it only when atoms moved too far or the cell changed, then asks the potential.
/// </summary>
public sealed class Calculator
{
    private readonly VerletNeighborList _neighbors;

    public Potential Potential { get; }
    public int Evaluations { get; private set; }
    public int NeighborListBuilds => _neighbors.Builds;

    public Calculator(Potential potential, double skin = 0.5)
    {
        Potential = potential;
        _neighbors = new VerletNeighborList(potential.Cutoff, skin, potential.NeedsFullNeighborList);
    }

    public PotentialResult Compute(Structure structure, Quantities what = Quantities.All)
    {
        if (Evaluations == 0) Potential.CheckCovers(structure);
        var list = _neighbors.Update(structure);
        if (!structure.Pbc.AllPeriodic) what &= ~Quantities.Stress;
        Evaluations++;
        return Potential.Compute(structure, list, what);
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
}
