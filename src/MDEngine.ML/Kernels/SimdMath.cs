using System.Numerics;
using System.Runtime.CompilerServices;

namespace MDEngine.ML.Kernels;

/// <summary>SIMD helpers for the generic CPU kernels (T is float or double; the type tests fold away when the JIT
/// specialises a kernel for its T).</summary>
internal static class SimdMath
{
    /// <summary>a·b + c in one rounding where the processor fuses it (FMA), else as a product and a sum. A kernel
    /// whose loop is bound by arithmetic, not memory, issues half the instructions with it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(double))
            return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        if (typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        return a * b + c;
    }

    /// <summary>Stores the first <paramref name="valid"/> lanes of v (all of them when valid ≥ the vector's width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<T>(Vector<T> v, T* target, int valid) where T : unmanaged, INumber<T>
    {
        if (valid >= Vector<T>.Count) { v.Store(target); return; }
        for (int i = 0; i < valid; i++) target[i] = v[i];
    }
}
