using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>A 3×3 integer matrix, row-major: the rotation part of a symmetry operation acting on fractional
/// coordinates as a column vector (x' = W x + w), as in the International Tables and spglib.</summary>
public readonly struct IntMat3 : IEquatable<IntMat3>
{
    public readonly int M00, M01, M02, M10, M11, M12, M20, M21, M22;

    public IntMat3(int m00, int m01, int m02, int m10, int m11, int m12, int m20, int m21, int m22)
    {
        M00 = m00; M01 = m01; M02 = m02; M10 = m10; M11 = m11; M12 = m12; M20 = m20; M21 = m21; M22 = m22;
    }

    public static readonly IntMat3 Identity = new(1, 0, 0, 0, 1, 0, 0, 0, 1);
    public static readonly IntMat3 Inversion = new(-1, 0, 0, 0, -1, 0, 0, 0, -1);

    public static IntMat3 FromArray(ReadOnlySpan<int> v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    public int[] ToArray() => [M00, M01, M02, M10, M11, M12, M20, M21, M22];

    public int this[int row, int col] => (row * 3 + col) switch
    {
        0 => M00, 1 => M01, 2 => M02, 3 => M10, 4 => M11, 5 => M12, 6 => M20, 7 => M21, 8 => M22,
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    public int Determinant => M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);
    public int Trace => M00 + M11 + M22;

    public static IntMat3 operator *(IntMat3 a, IntMat3 b)
    {
        Span<int> r = stackalloc int[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                r[i * 3 + j] = a[i, 0] * b[0, j] + a[i, 1] * b[1, j] + a[i, 2] * b[2, j];
        return FromArray(r);
    }

    public static IntMat3 operator -(IntMat3 a) => new(-a.M00, -a.M01, -a.M02, -a.M10, -a.M11, -a.M12, -a.M20, -a.M21, -a.M22);

    public static Vec3 operator *(IntMat3 m, Vec3 v) => new(
        m.M00 * v.X + m.M01 * v.Y + m.M02 * v.Z,
        m.M10 * v.X + m.M11 * v.Y + m.M12 * v.Z,
        m.M20 * v.X + m.M21 * v.Y + m.M22 * v.Z);

    public Mat3 ToMat3() => new(M00, M01, M02, M10, M11, M12, M20, M21, M22);

    /// <summary>The integer matrix nearest to <paramref name="m"/>, or null when some entry is farther than
    /// <paramref name="tolerance"/> from an integer.</summary>
    public static IntMat3? Round(Mat3 m, double tolerance = 1e-6)
    {
        Span<int> r = stackalloc int[9];
        for (int k = 0; k < 9; k++)
        {
            double v = m[k / 3, k % 3];
            double n = Math.Round(v);
            if (Math.Abs(v - n) > tolerance) return null;
            r[k] = (int)n;
        }
        return FromArray(r);
    }

    /// <summary>Inverse of a unimodular matrix (determinant ±1).</summary>
    public IntMat3 InverseUnimodular()
    {
        var inv = ToMat3().Inverse();
        return Round(inv) ?? throw new InvalidOperationException("Matrix is not unimodular.");
    }

    /// <summary>Rotation type as in spglib and ITA: ±1, ±2, ±3, ±4, ±6 (negative for improper rotations).</summary>
    public int RotationType()
    {
        int det = Determinant, tr = Trace;
        if (det == 1) return tr switch { 3 => 1, -1 => 2, 0 => 3, 1 => 4, 2 => 6, _ => 0 };
        return tr switch { -3 => -1, 1 => -2, 0 => -3, -1 => -4, -2 => -6, _ => 0 };
    }

    public bool Equals(IntMat3 o) => M00 == o.M00 && M01 == o.M01 && M02 == o.M02 && M10 == o.M10 && M11 == o.M11 &&
                                     M12 == o.M12 && M20 == o.M20 && M21 == o.M21 && M22 == o.M22;
    public override bool Equals(object? obj) => obj is IntMat3 m && Equals(m);
    public override int GetHashCode() => HashCode.Combine(M00, M01, M02, M10, M11, M12, M20, HashCode.Combine(M21, M22));
    public static bool operator ==(IntMat3 a, IntMat3 b) => a.Equals(b);
    public static bool operator !=(IntMat3 a, IntMat3 b) => !a.Equals(b);
    public override string ToString() => "[" + string.Join(",", ToArray()) + "]";
}
