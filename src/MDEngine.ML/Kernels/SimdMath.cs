using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

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
        // Without the instruction a fused multiply-add is emulated in software, far slower than two operations.
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            if (typeof(T) == typeof(double))
                return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
            if (typeof(T) == typeof(float))
                return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        }
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

/// <summary>A count the JIT sees as a constant: a kernel method with such a type argument is compiled once per count,
/// its loops and register accumulators sized for it, with no test of the count inside.</summary>
internal interface IConstant { static abstract int Value { get; } }
internal readonly struct One : IConstant { public static int Value => 1; }
internal readonly struct Two : IConstant { public static int Value => 2; }
internal readonly struct Three : IConstant { public static int Value => 3; }
internal readonly struct Four : IConstant { public static int Value => 4; }
internal readonly struct Five : IConstant { public static int Value => 5; }
internal readonly struct Six : IConstant { public static int Value => 6; }
internal readonly struct Seven : IConstant { public static int Value => 7; }
