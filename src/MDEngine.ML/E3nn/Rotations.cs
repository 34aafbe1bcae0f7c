namespace MDEngine.ML.E3nn;

/// <summary>
/// Rotation matrices in e3nn's conventions (e3nn <c>o3/_rotation.py</c>): Euler angles are Y–X–Y,
/// R(α, β, γ) = R_y(α) R_x(β) R_y(γ) (γ applied first), and y is the polar axis: the point of angles (α, β) on the
/// sphere is R_y(α) R_x(β) ŷ = (sin β sin α, cos β, sin β cos α). Matrices are 3×3 <c>double[,]</c> acting on column
/// vectors (x, y, z).
/// </summary>
public static class Rotations
{
    /// <summary>Rotation by <paramref name="angle"/> about x: [[1,0,0],[0,c,−s],[0,s,c]].</summary>
    public static double[,] MatrixX(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return new double[,] { { 1, 0, 0 }, { 0, c, -s }, { 0, s, c } };
    }

    /// <summary>Rotation by <paramref name="angle"/> about y: [[c,0,s],[0,1,0],[−s,0,c]].</summary>
    public static double[,] MatrixY(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return new double[,] { { c, 0, s }, { 0, 1, 0 }, { -s, 0, c } };
    }

    /// <summary>Rotation by <paramref name="angle"/> about z: [[c,−s,0],[s,c,0],[0,0,1]].</summary>
    public static double[,] MatrixZ(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return new double[,] { { c, -s, 0 }, { s, c, 0 }, { 0, 0, 1 } };
    }

    /// <summary>R(α, β, γ) = R_y(α) R_x(β) R_y(γ).</summary>
    public static double[,] AnglesToMatrix(double alpha, double beta, double gamma) =>
        Multiply(Multiply(MatrixY(alpha), MatrixX(beta)), MatrixY(gamma));

    /// <summary>The point (sin β sin α, cos β, sin β cos α) = R_y(α) R_x(β) ŷ of the unit sphere.</summary>
    public static double[] AnglesToXyz(double alpha, double beta) =>
        [Math.Sin(beta) * Math.Sin(alpha), Math.Cos(beta), Math.Sin(beta) * Math.Cos(alpha)];

    /// <summary>(α, β) of a nonzero vector: β = acos(ŷ·v̂), α = atan2(x, z). β is evaluated as
    /// atan2(√(x² + z²), y), equal to e3nn's acos but accurate near the poles.</summary>
    public static (double Alpha, double Beta) XyzToAngles(double x, double y, double z)
    {
        if (x == 0 && y == 0 && z == 0) throw new ArgumentException("the zero vector has no direction");
        return (Math.Atan2(x, z), Math.Atan2(Math.Sqrt(x * x + z * z), y));
    }

    /// <summary>
    /// Euler angles of a proper rotation, R = R(α, β, γ): (α, β) from the image of ŷ, then γ from
    /// R(α, β, 0)ᵀ R = R_y(γ).
    /// </summary>
    public static (double Alpha, double Beta, double Gamma) MatrixToAngles(double[,] r)
    {
        double det = Determinant(r);
        if (Math.Abs(det - 1) > 1e-6) throw new ArgumentException($"not a proper rotation (det = {det})");
        var (alpha, beta) = XyzToAngles(r[0, 1], r[1, 1], r[2, 1]);
        var rest = Multiply(Transpose(AnglesToMatrix(alpha, beta, 0)), r);
        return (alpha, beta, Math.Atan2(rest[0, 2], rest[0, 0]));
    }

    /// <summary>A rotation drawn uniformly from SO(3) (normalised Gaussian quaternion).</summary>
    public static double[,] Random(Random rng)
    {
        double w, x, y, z, n;
        do
        {
            w = Gaussian(rng); x = Gaussian(rng); y = Gaussian(rng); z = Gaussian(rng);
            n = Math.Sqrt(w * w + x * x + y * y + z * z);
        } while (n < 1e-6);
        w /= n; x /= n; y /= n; z /= n;
        return new double[,]
        {
            { 1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w) },
            { 2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w) },
            { 2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y) },
        };
    }

    public static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        if (b.GetLength(0) != k) throw new ArgumentException("matrix shapes do not match");
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < k; p++)
            {
                double v = a[i, p];
                if (v == 0) continue;
                for (int j = 0; j < m; j++) c[i, j] += v * b[p, j];
            }
        return c;
    }

    public static double[,] Transpose(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }

    public static double Determinant(double[,] r) =>
        r[0, 0] * (r[1, 1] * r[2, 2] - r[1, 2] * r[2, 1])
        - r[0, 1] * (r[1, 0] * r[2, 2] - r[1, 2] * r[2, 0])
        + r[0, 2] * (r[1, 0] * r[2, 1] - r[1, 1] * r[2, 0]);

    /// <summary>R v for a 3-vector.</summary>
    public static double[] Apply(double[,] r, double[] v) =>
        [r[0, 0] * v[0] + r[0, 1] * v[1] + r[0, 2] * v[2],
         r[1, 0] * v[0] + r[1, 1] * v[1] + r[1, 2] * v[2],
         r[2, 0] * v[0] + r[2, 1] * v[1] + r[2, 2] * v[2]];
}
