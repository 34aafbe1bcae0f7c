using MDEngine.Geometry;

namespace MDEngine.Potentials.ThreeBody;

/// <summary>A reusable per-thread list of one atom's neighbors within range (index, vector, distance, type), so
/// the triplet loops allocate nothing per atom.</summary>
internal sealed class NeighborScratch
{
    public int Count;
    public int[] Atom = new int[64];
    public int[] Type = new int[64];
    public Vec3[] Vector = new Vec3[64];
    public double[] Distance = new double[64];

    public void Clear() => Count = 0;

    public void Add(int atom, int type, Vec3 v, double r)
    {
        if (Count == Atom.Length)
        {
            int size = 2 * Count;
            Array.Resize(ref Atom, size); Array.Resize(ref Type, size); Array.Resize(ref Vector, size); Array.Resize(ref Distance, size);
        }
        Atom[Count] = atom; Type[Count] = type; Vector[Count] = v; Distance[Count] = r;
        Count++;
    }
}
