using MDEngine.Neighbors;
using MDEngine.Geometry;
using MDEngine.Potentials;

namespace MDEngine.Dynamics;

/// <summary>
/// Evaluates forces, energy and (for periodic cells) stress at the state's current geometry through a
/// <see cref="BoundPotential"/>: the potential on a Verlet neighbor list (cutoff + skin). It owns the binding itself, so
/// that its list can be reset at checkpoints; the list survives the small cell changes of a barostat, and every step can
/// check for atoms that came unphysically close at no extra search cost (from the closest pair distance the potential
/// reports, or a scan of the list's distances). Forces on fixed atoms are
/// zeroed and non-finite results stop the run.
/// </summary>
public sealed class ForceEvaluator
{
    private readonly double _skin;
    private BoundPotential _bound;

    public Potential Potential { get; }
    public long Evaluations { get; private set; }

    /// <summary>Checks pair distances at every evaluation; null disables the check.</summary>
    public BlowUpDetector? BlowUp { get; set; } = new();

    /// <param name="neighborPolicy">When the neighbor list considers rebuilding (LAMMPS's <c>neigh_modify</c>); by
    /// default whenever a pair could otherwise be missed.</param>
    public ForceEvaluator(Potential potential, double skin = 0.5, NeighborUpdatePolicy? neighborPolicy = null)
    {
        Potential = potential;
        _skin = skin;
        NeighborPolicy = neighborPolicy ?? NeighborUpdatePolicy.Safe;
        _bound = NewBinding();
    }

    public NeighborUpdatePolicy NeighborPolicy { get; }

    private ForceBatch? _batch;
    private int _batchIndex;

    /// <summary>From now on the potential is called through <paramref name="batch"/>, together with the other runs.</summary>
    internal void JoinBatch(ForceBatch batch, int index) => (_batch, _batchIndex) = (batch, index);
    internal void LeaveBatch() => _batch = null;

    private BoundPotential NewBinding() => new(Potential, _skin, NeighborPolicy);

    public int NeighborListBuilds => _bound.NeighborListBuilds;

    /// <summary>
    /// Forgets the neighbor list so that the next evaluation builds a fresh one. A checkpoint does this, so that
    /// a run restarted from it and the run that wrote it continue with identical lists (same pairs in the same order)
    /// and stay bit-identical.
    /// </summary>
    public void ResetNeighborList() => _bound = NewBinding();

    /// <summary>Whether evaluations compute the stress (periodic cells only). The run loop asks for it when the
    /// integrator needs it (barostats) or an observer will see the step; otherwise it is skipped and
    /// <see cref="MdState.Stress"/> is null.</summary>
    public bool WantStress { get; set; } = true;

    public void Evaluate(MdState state)
    {
        var s = state.Structure;
        for (int i = 0; i < s.Count; i++)
            if (!s.Positions[i].IsFinite) throw new MdBlowUpException(state.Step, $"atom {i} has a non-finite position");
        CheckFlightDistance(state);
        // The forces go straight into the state's own array (kept across steps, as positions and velocities are).
        if (state.Forces.Length != s.Count) state.Forces = new Vec3[s.Count];
        var what = WantStress ? Quantities.All : Quantities.EnergyAndForces;
        var result = _batch is { } batch ? batch.Compute(_batchIndex, s, _bound.Neighbors(s), what, state.Forces) : _bound.Compute(s, what, state.Forces);
        var list = _bound.CurrentNeighbors(s)!;
        Evaluations++;
        // Overlap check before any other verdict, so that a collapse is reported as such. Pair and EAM potentials
        // report the closest pair distance they saw: the pair scan runs only when that is below the largest bound.
        if (BlowUp is { } blowUp && !(result.ClosestPairDistance >= blowUp.LargestBound)) blowUp.Check(state, list);
        var forces = result.Forces ?? throw new InvalidOperationException($"Potential '{Potential.Name}' returned no forces.");
        if (!double.IsFinite(result.Energy))
            throw new MdBlowUpException(state.Step, "the potential energy is not finite");
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

    /// <summary>Farther than this from the origin (Å) or from the cell (cell lengths) an atom can only have been
    /// thrown by an exploding run (a huge time step or temperature); the neighbor search cannot place it.</summary>
    public const double MaxFlightDistance = 1e6;

    private static void CheckFlightDistance(MdState state)
    {
        var s = state.Structure;
        bool periodic = s.Pbc.Any && s.Cell.IsFullRank;
        var inverse = periodic ? s.Cell.Matrix.Inverse() : default;
        for (int i = 0; i < s.Count; i++)
        {
            var r = s.Positions[i];
            var f = periodic ? r * inverse : r;
            for (int k = 0; k < 3; k++)
            {
                double reach = periodic && s.Pbc[k] ? f[k] : r[k];
                if (Math.Abs(reach) > MaxFlightDistance)
                    throw new MdBlowUpException(state.Step, FormattableString.Invariant(
                        $"atom {i} flew more than {MaxFlightDistance:G} {(periodic && s.Pbc[k] ? "cells" : "Å")} away"));
            }
        }
    }
}
