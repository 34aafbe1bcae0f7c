using MDEngine.Geometry;
using MDEngine.Potentials;

namespace MDEngine.Dynamics;

/// <summary>
/// Evaluates forces, energy and (for periodic cells) stress at the state's current geometry, as
/// <see cref="Calculator"/> does: the potential on a Verlet neighbor list (cutoff + skin). It owns the list itself, so
/// that the list survives the small cell changes of a barostat (<see cref="DeformingVerletList"/>) and every step can
/// scan the pair distances for atoms that came unphysically close at no extra search cost. Forces on fixed atoms are
/// zeroed and non-finite results stop the run.
/// </summary>
public sealed class ForceEvaluator
{
    private readonly double _skin;
    private DeformingVerletList _neighbors;
    private bool _coverageChecked;

    public Potential Potential { get; }
    public long Evaluations { get; private set; }

    /// <summary>Checks pair distances at every evaluation; null disables the check.</summary>
    public BlowUpDetector? BlowUp { get; set; } = new();

    public ForceEvaluator(Potential potential, double skin = 0.5)
    {
        Potential = potential;
        _skin = skin;
        _neighbors = NewList();
    }

    private DeformingVerletList NewList() => new(Potential.Cutoff, _skin, Potential.NeedsFullNeighborList);

    public int NeighborListBuilds => _neighbors.Builds;

    /// <summary>
    /// Forgets the neighbor list so that the next evaluation builds a fresh one. A checkpoint does this, so that
    /// a run restarted from it and the run that wrote it continue with identical lists (same pairs in the same order)
    /// and stay bit-identical.
    /// </summary>
    public void ResetNeighborList() => _neighbors = NewList();

    /// <summary>Whether evaluations compute the stress (periodic cells only). The run loop asks for it when the
    /// integrator needs it (barostats) or an observer will see the step; otherwise it is skipped and
    /// <see cref="MdState.Stress"/> is null.</summary>
    public bool WantStress { get; set; } = true;

    public void Evaluate(MdState state)
    {
        var s = state.Structure;
        if (!_coverageChecked) { Potential.CheckCovers(s); _coverageChecked = true; }
        for (int i = 0; i < s.Count; i++)
            if (!s.Positions[i].IsFinite) throw new MdBlowUpException(state.Step, $"atom {i} has a non-finite position");
        var list = _neighbors.Update(s);
        BlowUp?.Check(state, list);
        var result = Potential.Compute(s, list, WantStress && s.Pbc.AllPeriodic ? Quantities.All : Quantities.EnergyAndForces);
        Evaluations++;
        var forces = result.Forces ?? throw new InvalidOperationException($"Potential '{Potential.Name}' returned no forces.");
        if (!double.IsFinite(result.Energy))
            throw new MdBlowUpException(state.Step, $"the potential energy is {result.Energy}");
        for (int i = 0; i < forces.Length; i++)
        {
            if (!forces[i].IsFinite) throw new MdBlowUpException(state.Step, $"the force on atom {i} is not finite");
            if (state.Fixed[i]) forces[i] = Vec3.Zero;
        }
        if (result.Stress is { } stress && !stress.IsFinite) throw new MdBlowUpException(state.Step, "the stress is not finite");
        state.Forces = forces;
        state.PotentialEnergy = result.Energy;
        state.Stress = result.Stress;
    }
}
