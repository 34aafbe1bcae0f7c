using System.Runtime.InteropServices;

namespace MDEngine.ML;

/// <summary>
/// Keeps freed native memory in the process for reuse. One MACE evaluation on the CPU allocates and frees tensors of
/// tens of megabytes hundreds of times; glibc serves blocks that large with mmap and returns them with munmap, so every
/// such tensor is page-faulted in (and zeroed by the kernel) afresh: about a fifth of the processor time of a 64-atom
/// evaluation. With mmap disabled and trimming off, freed blocks stay in the heap and are reused. The price is that
/// the process keeps its peak native heap. Process-wide, applied once; only on Linux with glibc (elsewhere nothing).
/// </summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1, TopPad = -2, MmapMax = -4; // glibc <malloc.h> M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_MAX
    private static int _applied;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    /// <summary>Returns true when the allocator settings were changed (now or by an earlier call).</summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (Interlocked.Exchange(ref _applied, 1) == 1) return true;
        try
        {
            return Mallopt(MmapMax, 0) == 1 & Mallopt(TrimThreshold, int.MaxValue) == 1 & Mallopt(TopPad, 64 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc
        }
    }
}
