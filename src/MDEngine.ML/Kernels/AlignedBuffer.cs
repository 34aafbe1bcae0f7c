using System.Runtime.InteropServices;

namespace MDEngine.ML.Kernels;

/// <summary>
/// Native scratch memory for the CPU kernels, aligned to a cache line. The kernels load and store whole SIMD vectors
/// (64 bytes with AVX-512); malloc's 16-byte alignment makes three of every four such accesses span two cache lines.
/// A thread whose scratch happened to be misaligned ran its share of the symmetric contraction 24% slower than the
/// other thread did its own (64 atoms, float32), and the section waited for it.
/// </summary>
internal static unsafe class AlignedBuffer
{
    /// <summary>Bytes of a cache line, and of the alignment.</summary>
    public const int Alignment = 64;

    /// <summary><paramref name="count"/> elements (at least one), uninitialised, or zeroed; free with <see cref="Free"/>.</summary>
    public static T* Allocate<T>(long count, bool zeroed = false) where T : unmanaged
    {
        nuint bytes = (nuint)(Math.Max(1, count) * sizeof(T));
        var p = NativeMemory.AlignedAlloc(bytes, Alignment);
        if (zeroed) NativeMemory.Clear(p, bytes);
        return (T*)p;
    }

    public static void Free(void* p) => NativeMemory.AlignedFree(p);
}
