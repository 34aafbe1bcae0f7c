using System.Runtime.CompilerServices;

namespace MDEngine.Geometry;

/// <summary>A 3-vector of doubles. Arrays of Vec3 are contiguous (x0 y0 z0 x1 ...), so hot loops may
/// reinterpret them as <c>Span&lt;double&gt;</c> with <see cref="System.Runtime.InteropServices.MemoryMarshal"/>.</summary>
public struct Vec3 : IEquatable<Vec3>
{
    public double X, Y, Z;

    public Vec3(double x, double y, double z) { X = x; Y = y; Z = z; }

    public static readonly Vec3 Zero = default;

    public double this[int axis]
    {
        readonly get => axis switch { 0 => X, 1 => Y, 2 => Z, _ => throw new ArgumentOutOfRangeException(nameof(axis)) };
        set { switch (axis) { case 0: X = value; break; case 1: Y = value; break; case 2: Z = value; break; default: throw new ArgumentOutOfRangeException(nameof(axis)); } }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec3 operator *(double s, Vec3 a) => new(s * a.X, s * a.Y, s * a.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec3 operator *(Vec3 a, double s) => new(s * a.X, s * a.Y, s * a.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vec3 operator /(Vec3 a, double s) => new(a.X / s, a.Y / s, a.Z / s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly double Dot(Vec3 b) => X * b.X + Y * b.Y + Z * b.Z;
    public readonly Vec3 Cross(Vec3 b) => new(Y * b.Z - Z * b.Y, Z * b.X - X * b.Z, X * b.Y - Y * b.X);
    public readonly double LengthSquared => X * X + Y * Y + Z * Z;
    public readonly double Length => Math.Sqrt(X * X + Y * Y + Z * Z);
    public readonly bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    public readonly bool Equals(Vec3 other) => X == other.X && Y == other.Y && Z == other.Z;
    public override readonly bool Equals(object? obj) => obj is Vec3 v && Equals(v);
    public override readonly int GetHashCode() => HashCode.Combine(X, Y, Z);
    public static bool operator ==(Vec3 a, Vec3 b) => a.Equals(b);
    public static bool operator !=(Vec3 a, Vec3 b) => !a.Equals(b);
    public override readonly string ToString() => FormattableString.Invariant($"({X}, {Y}, {Z})");
}
