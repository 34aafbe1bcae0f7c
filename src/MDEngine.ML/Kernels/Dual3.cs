using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MDEngine.ML.Kernels;

/// <summary>
/// A number carried with its gradient with respect to up to three variables (forward-mode differentiation): one
/// evaluation of a formula written with these gives its value, computed exactly as the same formula on plain numbers,
/// and its exact first derivatives. <see cref="RowFunction"/>s use it for their Jacobians. The four parts share one
/// 256-bit register, [value, ∂/∂x, ∂/∂y, ∂/∂z], so that an operation costs a few vector instructions.
/// </summary>
internal readonly struct Dual3
{
    /// <summary>[value, ∂/∂x, ∂/∂y, ∂/∂z].</summary>
    private readonly Vector256<double> _parts;

    private static Vector256<double> GradientLanes => Vector256.Create(0UL, ~0UL, ~0UL, ~0UL).AsDouble();
    private static Vector256<double> ValueLane => Vector256.Create(~0UL, 0UL, 0UL, 0UL).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dual3(Vector256<double> parts) => _parts = parts;

    public double V => _parts.GetElement(0);
    public double X => _parts.GetElement(1);
    public double Y => _parts.GetElement(2);
    public double Z => _parts.GetElement(3);

    /// <summary>The gradient lanes times <paramref name="c"/>, added to <paramref name="sum"/> (the value lane carries
    /// along unused): Σ c_o ∇y_o of a reverse pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> AddScaledGradient(Vector256<double> sum, double c) => sum + Vector256.Create(c) * _parts;

    /// <summary>The variable <paramref name="axis"/> (0, 1, 2) at <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 Variable(double value, int axis) => axis switch
    {
        0 => new(Vector256.Create(value, 1, 0, 0)),
        1 => new(Vector256.Create(value, 0, 1, 0)),
        _ => new(Vector256.Create(value, 0, 0, 1)),
    };

    /// <summary>A function of the first variable alone: its value and derivative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 FromValueAndDerivative(double value, double derivative) => new(Vector256.Create(value, derivative, 0, 0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 Constant(double value) => new(Vector256.Create(value, 0, 0, 0));

    /// <summary>value in the value lane, <paramref name="derivative"/> times a's gradient in the others: f(a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Dual3 Chain(Dual3 a, double value, double derivative) =>
        new(Vector256.ConditionalSelect(ValueLane, Vector256.Create(value), a._parts * Vector256.Create(derivative)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator +(Dual3 a, Dual3 b) => new(a._parts + b._parts);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator -(Dual3 a, Dual3 b) => new(a._parts - b._parts);
    // value lane: a·b + a·0 = a·b exactly; gradient lanes: a'b + ab'.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator *(Dual3 a, Dual3 b) =>
        new(a._parts * Vector256.Create(b.V) + Vector256.Create(a.V) * (b._parts & GradientLanes));
    // value lane: (a − q·0)/b = a/b exactly; gradient lanes: (a' − q b')/b.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator /(Dual3 a, Dual3 b)
    {
        double q = a.V / b.V;
        return new((a._parts - Vector256.Create(q) * (b._parts & GradientLanes)) / Vector256.Create(b.V));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator *(double c, Dual3 a) => new(Vector256.Create(c) * a._parts);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator *(Dual3 a, double c) => new(a._parts * Vector256.Create(c));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator /(Dual3 a, double c) => new(a._parts / Vector256.Create(c));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator -(double c, Dual3 a) => new(Vector256.Create(c, 0, 0, 0) - a._parts);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 Sqrt(Dual3 a)
    {
        double s = Math.Sqrt(a.V);
        return Chain(a, s, 0.5 / s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 Sin(Dual3 a)
    {
        var (sin, cos) = Math.SinCos(a.V);
        return Chain(a, sin, cos);
    }

    /// <summary>aⁿ for a whole n ≥ 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 Pow(Dual3 a, int n) => Chain(a, Math.Pow(a.V, n), n * Math.Pow(a.V, n - 1));
}
