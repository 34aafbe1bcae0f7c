using System.Runtime.CompilerServices;
using MDEngine.Geometry;

namespace MDEngine.Dynamics;

/// <summary>The elementary updates of velocity-Verlet-type splittings: kicks by the forces and free drifts.</summary>
internal static class VerletKernels
{
    /// <summary>One velocity-Verlet step of length dt: half kick, drift, new forces, half kick (the NVE core that the
    /// thermostatted splittings wrap).</summary>
    public static void VelocityVerletStep(MdState state, ForceEvaluator forces, double dt)
    {
        Kick(state, 0.5 * dt);
        Drift(state, dt);
        forces.Evaluate(state);
        Kick(state, 0.5 * dt);
    }

    /// <summary>v ← v + h F/m (fixed atoms keep zero velocity).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kick(MdState state, double h)
    {
        var v = state.Velocities; var f = state.Forces; var m = state.Structure.Masses; var fix = state.Fixed;
        double c = h * MdUnits.EvPerAmuInA2PerFs2;
        for (int i = 0; i < v.Length; i++)
            if (!fix[i]) v[i] += (c / m[i]) * f[i];
    }

    /// <summary>r ← r + h v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Drift(MdState state, double h)
    {
        var r = state.Structure.Positions; var v = state.Velocities;
        for (int i = 0; i < r.Length; i++) r[i] += h * v[i];
    }

    /// <summary>Multiplies every velocity by <paramref name="factor"/>.</summary>
    public static void ScaleVelocities(MdState state, double factor)
    {
        var v = state.Velocities;
        for (int i = 0; i < v.Length; i++) v[i] = factor * v[i];
    }

    /// <summary>Applies a deformation to the cell and, affinely, to all positions (fixed atoms keep their fractional
    /// coordinates): r ← r·μ, h ← h·μ (row vectors).</summary>
    public static void Deform(MdState state, Mat3 mu)
    {
        var s = state.Structure;
        var r = s.Positions;
        for (int i = 0; i < r.Length; i++) r[i] = r[i] * mu;
        s.Cell = new Structures.Cell(s.Cell.Matrix * mu);
    }
}
