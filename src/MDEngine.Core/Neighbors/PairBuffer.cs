using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MDEngine.Geometry;

namespace MDEngine.Neighbors;

/// <summary>
/// What one worker finds for a contiguous range of atoms, in compact form: for each pair the neighbor's slot in
/// bin order and its image S' (packed), 8 bytes. The full pair record (indices, shift, vector, distance; 52 bytes)
/// is written once, straight into the final list. Buffers are pooled and reused across builds, so a build in steady
/// state allocates only the list itself.
/// </summary>
internal sealed class PairBuffer
{
    public int[] Slots = new int[1024];
    public int[] Images = new int[1024];
    public int Count;

    // Scratch for sorting one atom's pairs.
    public int[] Order = [];
    public int[] J = [];
    public int[] Shifts = [];
    public Vec3[] Vectors = [];
    public double[] Distances = [];

    private static readonly ConcurrentBag<PairBuffer> Pool = new();
    private const int MaxPooledCapacity = 1 << 23;

    /// <summary>Image components are packed 10 bits each: −512 ≤ S'_k &lt; 512.</summary>
    public const int MaxImage = 511;

    public static PairBuffer Rent()
    {
        if (!Pool.TryTake(out var b)) b = new PairBuffer();
        b.Count = 0;
        return b;
    }

    public static void Return(PairBuffer b)
    {
        // Very large buffers are left to the collector rather than held forever.
        if (b.Slots.Length <= MaxPooledCapacity) Pool.Add(b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PackImage(int sx, int sy, int sz) => (sx + 512) | ((sy + 512) << 10) | ((sz + 512) << 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int X, int Y, int Z) UnpackImage(int code) => ((code & 1023) - 512, ((code >> 10) & 1023) - 512, ((code >> 20) & 1023) - 512);

    /// <summary>Makes room for <paramref name="more"/> entries beyond <see cref="Count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reserve(int more)
    {
        if (Count + more > Slots.Length) Grow(Count + more);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed)
    {
        int capacity = Math.Max(needed, 2 * Slots.Length);
        Array.Resize(ref Slots, capacity);
        Array.Resize(ref Images, capacity);
    }

    public void ReserveScratch(int length)
    {
        if (Order.Length >= length) return;
        length = Math.Max(length, 2 * Order.Length);
        Order = new int[length]; J = new int[length]; Shifts = new int[3 * length];
        Vectors = new Vec3[length]; Distances = new double[length];
    }
}
