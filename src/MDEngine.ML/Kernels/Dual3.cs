namespace MDEngine.ML.Kernels;

/// <summary>
/// A number carried with its gradient with respect to up to three variables (forward-mode differentiation): one
/// evaluation of a formula written with these gives its value, computed exactly as the same formula on plain numbers,
/// and its exact first derivatives. <see cref="RowFunction"/>s use it for their Jacobians.
/// </summary>
internal readonly record struct Dual3(double V, double X, double Y, double Z)
{
    /// <summary>The variable <paramref name="axis"/> (0, 1, 2) at <paramref name="value"/>.</summary>
    public static Dual3 Variable(double value, int axis) => axis switch
    {
        0 => new(value, 1, 0, 0),
        1 => new(value, 0, 1, 0),
        _ => new(value, 0, 0, 1),
    };

    public static Dual3 Constant(double value) => new(value, 0, 0, 0);

    public static Dual3 operator +(Dual3 a, Dual3 b) => new(a.V + b.V, a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Dual3 operator -(Dual3 a, Dual3 b) => new(a.V - b.V, a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Dual3 operator *(Dual3 a, Dual3 b) =>
        new(a.V * b.V, a.X * b.V + a.V * b.X, a.Y * b.V + a.V * b.Y, a.Z * b.V + a.V * b.Z);
    public static Dual3 operator /(Dual3 a, Dual3 b)
    {
        double q = a.V / b.V;
        return new(q, (a.X - q * b.X) / b.V, (a.Y - q * b.Y) / b.V, (a.Z - q * b.Z) / b.V);
    }

    public static Dual3 operator *(double c, Dual3 a) => new(c * a.V, c * a.X, c * a.Y, c * a.Z);
    public static Dual3 operator *(Dual3 a, double c) => new(a.V * c, a.X * c, a.Y * c, a.Z * c);
    public static Dual3 operator /(Dual3 a, double c) => new(a.V / c, a.X / c, a.Y / c, a.Z / c);
    public static Dual3 operator -(double c, Dual3 a) => new(c - a.V, -a.X, -a.Y, -a.Z);

    public static Dual3 Sqrt(Dual3 a)
    {
        double s = Math.Sqrt(a.V), d = 0.5 / s;
        return new(s, a.X * d, a.Y * d, a.Z * d);
    }

    public static Dual3 Sin(Dual3 a)
    {
        var (sin, cos) = Math.SinCos(a.V);
        return new(sin, a.X * cos, a.Y * cos, a.Z * cos);
    }

    /// <summary>aⁿ for a whole n ≥ 1.</summary>
    public static Dual3 Pow(Dual3 a, int n)
    {
        double d = n * Math.Pow(a.V, n - 1);
        return new(Math.Pow(a.V, n), a.X * d, a.Y * d, a.Z * d);
    }
}
