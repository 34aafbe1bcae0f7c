using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MDEngine.Vectorization;

/// <summary>
/// Left-packing of four lanes by a 4-bit mask (the lanes whose bit is set moved to the front, in order): the
/// permutations for each of the 16 masks, so that a loop can store only the lanes that pass a test and advance by
/// the mask's population count.
/// </summary>
internal static class LeftPack
{
    /// <summary>For each mask, its set lanes first to last as lane indices (the rest 0): for 32-bit lanes.</summary>
    public static readonly Vector128<int>[] Int32Lanes = Enumerable.Range(0, 16).Select(m =>
    {
        var lanes = new int[4];
        int c = 0;
        for (int b = 0; b < 4; b++) if ((m >> b & 1) != 0) lanes[c++] = b;
        return Vector128.Create(lanes);
    }).ToArray();

    /// <summary>The same for 64-bit lanes, as the 32-bit halves 2k, 2k + 1 of lane k (for a 32-bit permutation).</summary>
    public static readonly Vector256<int>[] Int64Lanes = Int32Lanes.Select(p =>
        Vector256.Create(2 * p[0], 2 * p[0] + 1, 2 * p[1], 2 * p[1] + 1, 2 * p[2], 2 * p[2] + 1, 2 * p[3], 2 * p[3] + 1)).ToArray();

    /// <summary>The lanes of <paramref name="v"/> set in <paramref name="mask"/>, first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Pack(Vector256<double> v, uint mask) => Avx2.PermuteVar8x32(v.AsSingle(), Int64Lanes[mask]).AsDouble();

    /// <summary>The lanes of <paramref name="v"/> set in <paramref name="mask"/>, first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Pack(Vector128<int> v, uint mask) => Avx.PermuteVar(v.AsSingle(), Int32Lanes[mask]).AsInt32();
}
