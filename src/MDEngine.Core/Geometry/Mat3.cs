namespace MDEngine.Geometry;

/// <summary>A 3×3 matrix of doubles, row-major. As a cell, row i is lattice vector i.</summary>
public struct Mat3 : IEquatable<Mat3>
{
    public double M00, M01, M02, M10, M11, M12, M20, M21, M22;

    public Mat3(double m00, double m01, double m02, double m10, double m11, double m12, double m20, double m21, double m22)
    {
        M00 = m00; M01 = m01; M02 = m02; M10 = m10; M11 = m11; M12 = m12; M20 = m20; M21 = m21; M22 = m22;
    }

    public static Mat3 FromRows(Vec3 a, Vec3 b, Vec3 c) => new(a.X, a.Y, a.Z, b.X, b.Y, b.Z, c.X, c.Y, c.Z);
    public static Mat3 Diagonal(double a, double b, double c) => new(a, 0, 0, 0, b, 0, 0, 0, c);
    public static readonly Mat3 Identity = Diagonal(1, 1, 1);
    public static readonly Mat3 Zero = default;

    /// <summary>From 9 numbers in row-major order (the order of extended XYZ's Lattice= and stress=).</summary>
    public static Mat3 FromArray(ReadOnlySpan<double> v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    public readonly double[] ToArray() => [M00, M01, M02, M10, M11, M12, M20, M21, M22];

    public double this[int row, int col]
    {
        readonly get => (row * 3 + col) switch
        {
            0 => M00, 1 => M01, 2 => M02, 3 => M10, 4 => M11, 5 => M12, 6 => M20, 7 => M21, 8 => M22,
            _ => throw new ArgumentOutOfRangeException(nameof(row)),
        };
        set
        {
            switch (row * 3 + col)
            {
                case 0: M00 = value; break; case 1: M01 = value; break; case 2: M02 = value; break;
                case 3: M10 = value; break; case 4: M11 = value; break; case 5: M12 = value; break;
                case 6: M20 = value; break; case 7: M21 = value; break; case 8: M22 = value; break;
                default: throw new ArgumentOutOfRangeException(nameof(row));
            }
        }
    }

    public readonly Vec3 Row(int i) => i switch { 0 => new(M00, M01, M02), 1 => new(M10, M11, M12), 2 => new(M20, M21, M22), _ => throw new ArgumentOutOfRangeException(nameof(i)) };
    public readonly Vec3 Column(int j) => new(this[0, j], this[1, j], this[2, j]);

    public readonly double Determinant =>
        M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);

    public readonly double Trace => M00 + M11 + M22;

    public readonly Mat3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

    public readonly Mat3 Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det)) throw new InvalidOperationException("Matrix is singular.");
        double inv = 1.0 / det;
        return new Mat3(
            (M11 * M22 - M12 * M21) * inv, (M02 * M21 - M01 * M22) * inv, (M01 * M12 - M02 * M11) * inv,
            (M12 * M20 - M10 * M22) * inv, (M00 * M22 - M02 * M20) * inv, (M02 * M10 - M00 * M12) * inv,
            (M10 * M21 - M11 * M20) * inv, (M01 * M20 - M00 * M21) * inv, (M00 * M11 - M01 * M10) * inv);
    }

    public static Mat3 operator *(Mat3 a, Mat3 b)
    {
        var r = new Mat3();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                r[i, j] = a[i, 0] * b[0, j] + a[i, 1] * b[1, j] + a[i, 2] * b[2, j];
        return r;
    }

    /// <summary>Matrix times column vector.</summary>
    public static Vec3 operator *(Mat3 m, Vec3 v) => new(
        m.M00 * v.X + m.M01 * v.Y + m.M02 * v.Z,
        m.M10 * v.X + m.M11 * v.Y + m.M12 * v.Z,
        m.M20 * v.X + m.M21 * v.Y + m.M22 * v.Z);

    /// <summary>Row vector times matrix: with a cell, fractional → Cartesian.</summary>
    public static Vec3 operator *(Vec3 v, Mat3 m) => new(
        v.X * m.M00 + v.Y * m.M10 + v.Z * m.M20,
        v.X * m.M01 + v.Y * m.M11 + v.Z * m.M21,
        v.X * m.M02 + v.Y * m.M12 + v.Z * m.M22);

    public static Mat3 operator *(double s, Mat3 m) => new(s * m.M00, s * m.M01, s * m.M02, s * m.M10, s * m.M11, s * m.M12, s * m.M20, s * m.M21, s * m.M22);
    public static Mat3 operator +(Mat3 a, Mat3 b) => new(a.M00 + b.M00, a.M01 + b.M01, a.M02 + b.M02, a.M10 + b.M10, a.M11 + b.M11, a.M12 + b.M12, a.M20 + b.M20, a.M21 + b.M21, a.M22 + b.M22);
    public static Mat3 operator -(Mat3 a, Mat3 b) => a + (-1.0) * b;

    public readonly double MaxAbs()
    {
        double m = 0;
        foreach (var v in ToArray()) m = Math.Max(m, Math.Abs(v));
        return m;
    }

    public readonly bool IsFinite => ToArray().All(double.IsFinite);

    public readonly bool Equals(Mat3 o) => ToArray().AsSpan().SequenceEqual(o.ToArray());
    public override readonly bool Equals(object? obj) => obj is Mat3 m && Equals(m);
    public override readonly int GetHashCode() => HashCode.Combine(M00, M01, M02, M10, M11, M12, M20, M21);
    public override readonly string ToString() => "[" + string.Join(", ", ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
