using System.Globalization;
using System.Text;
using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>A space-group operation on fractional coordinates: x' = W x + w (W integer, w fractional).</summary>
public readonly record struct SymmetryOperation(IntMat3 Rotation, Vec3 Translation)
{
    public static readonly SymmetryOperation Identity = new(IntMat3.Identity, Vec3.Zero);

    public Vec3 Apply(Vec3 x) => Rotation * x + Translation;

    /// <summary>The rotation part alone, for vectors (displacements, forces in the lattice basis).</summary>
    public Vec3 Rotate(Vec3 x) => Rotation * x;

    /// <summary>The rotation part as a real matrix (for averaging tensors over a group).</summary>
    public Mat3 RotationMatrix => Rotation.ToMat3();

    /// <summary>Composition: (this ∘ other)(x) = this(other(x)).</summary>
    public SymmetryOperation Then(SymmetryOperation first) => new(Rotation * first.Rotation, Rotation * first.Translation + Translation);

    /// <summary>The operation with its translation reduced to [0, 1).</summary>
    public SymmetryOperation Reduced() => new(Rotation, Fractional.Mod1(Translation));

    /// <summary>Parses a Jones-faithful triplet such as "-y+1/4,x+3/4,z" (the CIF symop form); throws
    /// <see cref="FormatException"/> saying what is wrong.</summary>
    public static SymmetryOperation Parse(string text) =>
        TryParse(text, out var operation, out string problem) ? operation : throw new FormatException(problem + ".");

    /// <summary>Parses a triplet as <see cref="AffineTriplet.TryParse"/> does and checks that it is a crystallographic
    /// operation: integer rotation part with determinant ±1. On failure <paramref name="problem"/> says what is
    /// wrong, e.g. "symmetry operation 'x,y' does not have three components".</summary>
    public static bool TryParse(string text, out SymmetryOperation operation, out string problem)
    {
        operation = default;
        if (!AffineTriplet.TryParse(text, out var affine, out problem)) { problem = "symmetry operation " + problem; return false; }
        var m = affine.Matrix;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                if (m[i, j] != Math.Round(m[i, j]))
                { problem = $"symmetry operation '{text}': the coefficients of x, y, z are not integers"; return false; }
        var w = IntMat3.Round(m)!.Value;
        if (w.Determinant is not (1 or -1))
        { problem = $"symmetry operation '{text}' is not a crystallographic operation (determinant {w.Determinant})"; return false; }
        operation = new SymmetryOperation(w, affine.Offset);
        problem = "";
        return true;
    }

    /// <summary>Jones-faithful triplet, e.g. "-y+1/4,x+3/4,z", with translations as fractions of 12ths where exact.</summary>
    public string ToXyz()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 3; i++)
        {
            if (i > 0) sb.Append(',');
            int start = sb.Length;
            for (int j = 0; j < 3; j++)
            {
                int v = Rotation[i, j];
                if (v == 0) continue;
                if (v > 0 && sb.Length > start) sb.Append('+');
                if (v < 0) sb.Append('-');
                if (Math.Abs(v) != 1) sb.Append(Math.Abs(v));
                sb.Append("xyz"[j]);
            }
            double t = Translation[i];
            if (Math.Abs(t) > 1e-12)
            {
                if (sb.Length > start) sb.Append(t > 0 ? "+" : "-"); else if (t < 0) sb.Append('-');
                sb.Append(Fractional.ToFractionText(Math.Abs(t)));
            }
            if (sb.Length == start) sb.Append('0');
        }
        return sb.ToString();
    }

    public override string ToString() => ToXyz();
}

/// <summary>Helpers for fractional coordinates.</summary>
public static class Fractional
{
    public static double Mod1(double x)
    {
        double r = x - Math.Floor(x);
        return r >= 1.0 ? 0.0 : r;
    }

    public static Vec3 Mod1(Vec3 v) => new(Mod1(v.X), Mod1(v.Y), Mod1(v.Z));

    /// <summary>Reduced to [0, 1) with values within <paramref name="eps"/> of an integer set to exactly 0, so that
    /// rounding noise does not print as 0.9999999999 or 1e-16.</summary>
    public static Vec3 Mod1Clean(Vec3 v, double eps = 1e-10)
    {
        static double C(double x, double e) { double r = Mod1(x); return r < e || 1 - r < e ? 0.0 : r; }
        return new Vec3(C(v.X, eps), C(v.Y, eps), C(v.Z, eps));
    }

    /// <summary>Difference wrapped to [-0.5, 0.5) per component (the minimum image in fractional terms).</summary>
    public static Vec3 Wrap(Vec3 v) => new(v.X - Math.Round(v.X), v.Y - Math.Round(v.Y), v.Z - Math.Round(v.Z));

    /// <summary>"1/4", "2/3", "1/2" or a decimal for a value without a small denominator.</summary>
    public static string ToFractionText(double v)
    {
        foreach (int d in new[] { 1, 2, 3, 4, 6, 8, 12 })
        {
            double n = v * d;
            if (Math.Abs(n - Math.Round(n)) < 1e-9)
            {
                long num = (long)Math.Round(n);
                return d == 1 ? num.ToString(CultureInfo.InvariantCulture) : $"{num}/{d}";
            }
        }
        return v.ToString("R", CultureInfo.InvariantCulture);
    }
}
