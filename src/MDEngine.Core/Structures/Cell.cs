using MDEngine.Geometry;

namespace MDEngine.Structures;

/// <summary>Lattice parameters: lengths in Å, angles in degrees (α between b and c, β between a and c, γ between a and b).</summary>
public readonly record struct LatticeParameters(double A, double B, double C, double Alpha, double Beta, double Gamma)
{
    public override string ToString() => FormattableString.Invariant(
        $"a={A:F6} b={B:F6} c={C:F6} α={Alpha:F4} β={Beta:F4} γ={Gamma:F4}");
}

/// <summary>A cell: three lattice vectors as the rows of <see cref="Matrix"/> (Å). A zero row means no lattice
/// vector along that axis (a molecule or a non-periodic direction).</summary>
public readonly record struct Cell(Mat3 Matrix)
{
    public static readonly Cell Empty = new(Mat3.Zero);

    public static Cell Cubic(double a) => new(Mat3.Diagonal(a, a, a));
    public static Cell Orthorhombic(double a, double b, double c) => new(Mat3.Diagonal(a, b, c));

    public Vec3 A => Matrix.Row(0);
    public Vec3 B => Matrix.Row(1);
    public Vec3 C => Matrix.Row(2);
    public Vec3 this[int i] => Matrix.Row(i);

    /// <summary>Signed volume (Å³); positive for a right-handed cell.</summary>
    public double Volume => Math.Abs(Matrix.Determinant);
    public bool IsEmpty => Matrix.MaxAbs() == 0;

    /// <summary>True when the three vectors span space (a singular cell cannot hold fractional coordinates).</summary>
    public bool IsFullRank
    {
        get
        {
            double scale = A.Length * B.Length * C.Length;
            return scale > 0 && Math.Abs(Matrix.Determinant) > 1e-10 * scale;
        }
    }

    public Vec3 ToCartesian(Vec3 fractional) => fractional * Matrix;
    public Vec3 ToFractional(Vec3 cartesian) => cartesian * Matrix.Inverse();

    public Vec3[] ToFractional(ReadOnlySpan<Vec3> cartesian)
    {
        var inverse = Matrix.Inverse();
        var result = new Vec3[cartesian.Length];
        for (int i = 0; i < result.Length; i++) result[i] = cartesian[i] * inverse;
        return result;
    }

    public Vec3[] ToCartesian(ReadOnlySpan<Vec3> fractional)
    {
        var result = new Vec3[fractional.Length];
        for (int i = 0; i < result.Length; i++) result[i] = fractional[i] * Matrix;
        return result;
    }

    /// <summary>Reciprocal cell without the 2π factor: rows b_i with a_i·b_j = δ_ij (ASE's <c>cell.reciprocal()</c>).</summary>
    public Mat3 Reciprocal() => Matrix.Inverse().Transpose();

    /// <summary>Perpendicular distance between opposite faces along each lattice direction (Å).</summary>
    public Vec3 PerpendicularWidths()
    {
        var reciprocal = Reciprocal();
        return new Vec3(1 / reciprocal.Row(0).Length, 1 / reciprocal.Row(1).Length, 1 / reciprocal.Row(2).Length);
    }

    public LatticeParameters Parameters()
    {
        Vec3 a = A, b = B, c = C;
        double la = a.Length, lb = b.Length, lc = c.Length;
        return new LatticeParameters(la, lb, lc, Angle(b, c, lb, lc), Angle(a, c, la, lc), Angle(a, b, la, lb));
    }

    private static double Angle(Vec3 u, Vec3 v, double lu, double lv)
    {
        if (lu == 0 || lv == 0) return 90.0;
        double cos = Math.Clamp(u.Dot(v) / (lu * lv), -1.0, 1.0);
        return Math.Acos(cos) * 180.0 / Math.PI;
    }

    /// <summary>The cell with these lattice parameters in ASE's standard orientation: a along x, b in the xy plane.</summary>
    public static Cell FromParameters(LatticeParameters p) => FromParameters(p.A, p.B, p.C, p.Alpha, p.Beta, p.Gamma);

    public static Cell FromParameters(double a, double b, double c, double alpha = 90, double beta = 90, double gamma = 90)
    {
        if (!(a > 0 && b > 0 && c > 0)) throw new ArgumentException("Cell lengths must be positive.");
        double cosA = ExactCos(alpha), cosB = ExactCos(beta), cosG = ExactCos(gamma);
        double sinG = gamma == 90 ? 1.0 : Math.Sin(gamma * Math.PI / 180.0);
        double cx = cosB, cy = (cosA - cosB * cosG) / sinG, czSquared = 1.0 - cx * cx - cy * cy;
        if (czSquared <= 0) throw new ArgumentException(FormattableString.Invariant($"Angles α={alpha} β={beta} γ={gamma} do not form a cell."));
        return new Cell(new Mat3(
            a, 0, 0,
            b * cosG, b * sinG, 0,
            c * cx, c * cy, c * Math.Sqrt(czSquared)));
    }

    // Exact zero at right angles, as ASE does, so orthogonal cells have exactly zero off-diagonal entries.
    private static double ExactCos(double degrees) => Math.Abs(degrees - 90) < 1e-12 ? 0.0 : Math.Cos(degrees * Math.PI / 180.0);

    /// <summary>Fractional coordinates wrapped into [0, 1) along periodic axes.</summary>
    public static Vec3 WrapFractional(Vec3 f, Pbc pbc, double eps = 0)
    {
        for (int k = 0; k < 3; k++)
        {
            if (!pbc[k]) continue;
            double x = f[k] - Math.Floor(f[k] + eps);
            if (x >= 1.0) x -= 1.0; // Floor of values just below an integer can round to 1.0 exactly
            f[k] = x;
        }
        return f;
    }

    public override string ToString() => Matrix.ToString();
}
