using MDEngine.Geometry;
using MDEngine.Potentials;

namespace MDEngine.Dynamics;

/// <summary>
/// Evaluates forces, energy and (for periodic cells) stress at the state's current geometry through a
/// <see cref="Calculator"/> with its Verlet neighbor list, zeroes the forces on fixed atoms and stops the run on
/// non-finite results.
/// </summary>
public sealed class ForceEvaluator
{
    private readonly double _skin;
    private Calculator _calculator;

    public Potential Potential { get; }
    public long Evaluations { get; private set; }

    public ForceEvaluator(Potential potential, double skin = 0.5)
    {
        Potential = potential;
        _skin = skin;
        _calculator = new Calculator(potential, skin);
    }

    /// <summary>
    /// Forgets the neighbor list so that the next evaluation builds a fresh one. A checkpoint does this, so that
    /// a run restarted from it and the run that wrote it continue with identical lists (same pairs in the same order)
    /// and stay bit-identical.
    /// </summary>
    public void ResetNeighborList() => _calculator = new Calculator(Potential, _skin);

    public void Evaluate(MdState state)
    {
        var s = state.Structure;
        var result = _calculator.Compute(s, s.Pbc.AllPeriodic ? Quantities.All : Quantities.EnergyAndForces);
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
