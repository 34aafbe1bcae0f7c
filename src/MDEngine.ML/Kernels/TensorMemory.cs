using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

using MDEngine.ML.E3nn;
using MDEngine.ML.Graphs;

namespace MDEngine.ML.Kernels;

/// <summary>
/// The address of a contiguous CPU tensor's first element, for hand-written kernels that read and write tensors in
/// place. TorchSharp keeps the native accessor internal, so the export of its native library is looked up once.
/// </summary>
internal static unsafe class TensorMemory
{
    private static readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr> Data = Resolve();

    private static delegate* unmanaged[Cdecl]<IntPtr, IntPtr> Resolve()
    {
        var library = NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null);
        return (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)NativeLibrary.GetExport(library, "THSTensor_data");
    }

    /// <summary>Pointer to the elements of <paramref name="t"/>, which must be contiguous, on the CPU, of type T.</summary>
    public static T* Pointer<T>(Tensor t) where T : unmanaged
    {
        if (t.device_type != DeviceType.CPU) throw new ArgumentException("a CPU tensor is needed");
        if (!t.is_contiguous()) throw new ArgumentException("a contiguous tensor is needed");
        var expected = typeof(T) == typeof(float) ? ScalarType.Float32 : typeof(T) == typeof(double) ? ScalarType.Float64
            : throw new ArgumentException($"no scalar type for {typeof(T)}");
        if (t.dtype != expected) throw new ArgumentException($"a {expected} tensor is needed, not {t.dtype}");
        if (t.numel() == 0) return null;
        var p = Data(t.Handle);
        if (p == IntPtr.Zero) throw new InvalidOperationException("the tensor has no data");
        return (T*)p;
    }
}
