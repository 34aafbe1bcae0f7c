using System.Runtime.CompilerServices;
using MDEngine.Geometry;

namespace MDEngine.Potentials.ThreeBody;

/// <summary>Collects one thread's contributions: for a term of the energy that depends on an interatomic vector
/// d = r_j − r_i with gradient g = ∂E/∂d, atom j feels −g, atom i +g, and the virial gains g ⊗ d.</summary>
internal sealed class ChunkSink(Vec3[]? forces, double[]? atomEnergies, bool virial)
{
    public double Energy, Xx, Yy, Zz, Yz, Xz, Xy;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int i, int j, Vec3 g, Vec3 d)
    {
        if (forces is not null)
        {
            ref var fi = ref forces[i]; fi.X += g.X; fi.Y += g.Y; fi.Z += g.Z;
            ref var fj = ref forces[j]; fj.X -= g.X; fj.Y -= g.Y; fj.Z -= g.Z;
        }
        if (virial)
        {
            Xx += g.X * d.X; Yy += g.Y * d.Y; Zz += g.Z * d.Z;
            Yz += g.Y * d.Z; Xz += g.X * d.Z; Xy += g.X * d.Y;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddEnergy(int i, double e)
    {
        Energy += e;
        if (atomEnergies is not null) atomEnergies[i] += e;
    }

    public void StoreInto(ChunkedAccumulator accumulator, int chunk) =>
        accumulator.StoreChunk(chunk, Energy, Xx, Yy, Zz, Yz, Xz, Xy);
}
