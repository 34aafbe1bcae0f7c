using System.Runtime.CompilerServices;
using MDEngine.Geometry;

namespace MDEngine.Potentials.Pair;

/// <summary>
/// What the scalar pair loops accumulate from a pair term f = (∂E/∂r)/r along d = r_j − r_i: +f·d on atom i (kept
/// here until the atom's pairs are done), −f·d on atom j, and the virial W_ab += f d_a d_b of the chunk.
/// </summary>
internal struct PairForceSum
{
    /// <summary>The force on the current atom i so far.</summary>
    public double Fx, Fy, Fz;
    /// <summary>The chunk's virial.</summary>
    public double XX, YY, ZZ, YZ, XZ, XY;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double f, double dx, double dy, double dz, Vec3[]? forces, int j, bool virial)
    {
        double fx = f * dx, fy = f * dy, fz = f * dz;
        if (forces is not null)
        {
            // E depends on d = r_j − r_i: ∂E/∂r_j = φ' d/r, so F_j = −φ' d/r and F_i = +φ' d/r.
            Fx += fx; Fy += fy; Fz += fz;
            ref var fj = ref forces[j];
            fj.X -= fx; fj.Y -= fy; fj.Z -= fz;
        }
        if (virial)
        {
            XX += fx * dx; YY += fy * dy; ZZ += fz * dz;
            YZ += fy * dz; XZ += fx * dz; XY += fx * dy;
        }
    }

    /// <summary>Adds the current atom's force to <paramref name="forces"/>[i] and starts the next atom.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndAtom(Vec3[]? forces, int i)
    {
        if (forces is not null) { ref var fi = ref forces[i]; fi.X += Fx; fi.Y += Fy; fi.Z += Fz; }
        Fx = Fy = Fz = 0;
    }
}
