using System.Globalization;
using System.Text;
using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>A space-group operation on fractional coordinates: x' = W x + w (W integer, w fractional).</summary>
public readonly record struct SymmetryOperation(IntMat3 Rotation, Vec3 Translation)
{
    public static readonly SymmetryOperation Identity = new(IntMat3.Identity, Vec3.Zero);

    public Vec3 Apply(Vec3 x) => Rotation * x + Translation;

    /// <summary>Composition: (this ∘ other)(x) = this(other(x)).</summary>
    public SymmetryOperation Then(SymmetryOperation first) => new(Rotation * first.Rotation, Rotation * first.Translation + Translation);

    /// <summary>The operation with its translation reduced to [0, 1).</summary>
    public SymmetryOperation Reduced() => new(Rotation, Fractional.Mod1(Translation));

    /// <summary>Parses a Jones-faithful triplet such as "-y+1/4,x+3/4,z" (the CIF symop form).</summary>
    public static SymmetryOperation Parse(string text)
    {
        var affine = AffineTriplet.Parse(text);
        var w = IntMat3.Round(affine.Matrix) ?? throw new FormatException($"'{text}' does not have an integer rotation part.");
        return new SymmetryOperation(w, affine.Offset);
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
