using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MDEngine.Geometry;

namespace MDEngine.Neighbors;

/// <summary>Growable storage for the pairs one worker finds for a contiguous range of atoms. Buffers are pooled
/// and reused across builds, so a build in steady state allocates only the final list.</summary>
internal sealed class PairBuffer
{
    public int[] J = new int[256];
    public int[] Shifts = new int[3 * 256];
    public Vec3[] Vectors = new Vec3[256];
    public double[] Distances = new double[256];
    public int Count;
    /// <summary>Scratch permutation for sorting one atom's pairs.</summary>
    public int[] Order = new int[64];

    private static readonly ConcurrentBag<PairBuffer> Pool = new();
    private const int MaxPooledCapacity = 1 << 24;

    public static PairBuffer Rent()
    {
        if (!Pool.TryTake(out var b)) b = new PairBuffer();
        b.Count = 0;
        return b;
    }

    public static void Return(PairBuffer b)
    {
        // Very large buffers are left to the collector rather than pinned in memory forever.
        if (b.J.Length <= MaxPooledCapacity) Pool.Add(b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int j, int sx, int sy, int sz, Vec3 v, double d)
    {
        int c = Count;
        if (c == J.Length) Grow();
        J[c] = j;
        Shifts[3 * c] = sx; Shifts[3 * c + 1] = sy; Shifts[3 * c + 2] = sz;
        Vectors[c] = v;
        Distances[c] = d;
        Count = c + 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        int capacity = J.Length * 2;
        Array.Resize(ref J, capacity);
        Array.Resize(ref Shifts, 3 * capacity);
        Array.Resize(ref Vectors, capacity);
        Array.Resize(ref Distances, capacity);
    }

    public int[] OrderScratch(int length)
    {
        if (Order.Length < length) Order = new int[Math.Max(length, 2 * Order.Length)];
        return Order;
    }
}
