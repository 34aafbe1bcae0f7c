using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>The outcome of one relaxation. <see cref="Structure"/> is the final state (the relaxed structure when
/// converged) with its energy, forces and stress stored; <see cref="Best"/> is a copy of the evaluated state with the
/// lowest objective, the one to keep when the relaxation did not converge.</summary>
public sealed class RelaxResult
{
    public required bool Converged { get; init; }
    public required int Steps { get; init; }
    public required int ForceCalls { get; init; }
    public required double InitialEnergy { get; init; }
    public required double FinalEnergy { get; init; }
    /// <summary>Final objective (energy, or enthalpy under pressure).</summary>
    public required double FinalObjective { get; init; }
    public required double MaxForce { get; init; }
    public required Vec3[] Forces { get; init; }
    public Mat3? Stress { get; init; }
    public required Structure Structure { get; init; }
    public required Structure Best { get; init; }
    public required double BestObjective { get; init; }

    /// <summary>Why the relaxation stopped before converging or running out of steps: a non-finite energy, force,
    /// stress or coordinate. <see cref="LastFinite"/> is then the state to keep.</summary>
    public string? Problem { get; init; }

    /// <summary>The last recorded state, all of whose numbers are finite (the input when no step was recorded): what a
    /// run stopped by a non-finite number keeps.</summary>
    public required Structure LastFinite { get; init; }
}
