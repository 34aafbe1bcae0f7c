using System.Globalization;
using MDEngine.Geometry;

namespace MDEngine.IO;

/// <summary>A crystallographic symmetry operation on fractional coordinates: f' = R·f + t.</summary>
public readonly record struct SymmetryOperation(int[,] Rotation, Vec3 Translation)
{
    public Vec3 Apply(Vec3 f) => new(
        Rotation[0, 0] * f.X + Rotation[0, 1] * f.Y + Rotation[0, 2] * f.Z + Translation.X,
        Rotation[1, 0] * f.X + Rotation[1, 1] * f.Y + Rotation[1, 2] * f.Z + Translation.Y,
        Rotation[2, 0] * f.X + Rotation[2, 1] * f.Y + Rotation[2, 2] * f.Z + Translation.Z);

    public static SymmetryOperation Identity => new(new int[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, Vec3.Zero);
}

/// <summary>Parses operations written as in CIF <c>_symmetry_equiv_pos_as_xyz</c>: "x,y+1/2,-z+0.25",
/// "-x+y, 1/2+x, z", "+X,+Y,+Z" — each component a sum of ±x, ±y, ±z (with an optional integer factor) and
/// constants (decimals or fractions).</summary>
public static class SymmetryOperationText
{
    public static bool TryParse(string text, out SymmetryOperation operation, out string problem)
    {
        operation = default;
        var parts = text.Split(',');
        if (parts.Length != 3) { problem = $"symmetry operation '{text}' does not have three components"; return false; }
        var rotation = new int[3, 3];
        var translation = new double[3];
        for (int row = 0; row < 3; row++)
        {
            string s = parts[row].Replace(" ", "").ToLowerInvariant();
            if (s.Length == 0) { problem = $"symmetry operation '{text}' has an empty component"; return false; }
            int i = 0;
            while (i < s.Length)
            {
                int sign = 1;
                if (s[i] is '+' or '-') { sign = s[i] == '-' ? -1 : 1; i++; }
                int start = i;
                while (i < s.Length && (char.IsDigit(s[i]) || s[i] is '.' or '/')) i++;
                string number = s[start..i];
                if (number.Length > 0 && i < s.Length && s[i] == '*') i++; // "2*x"
                if (i < s.Length && s[i] is 'x' or 'y' or 'z')
                {
                    double factor = 1;
                    if (number.Length > 0 && (!TryParseConstant(number, out factor) || factor != Math.Round(factor)))
                    { problem = $"symmetry operation '{text}': bad factor '{number}'"; return false; }
                    rotation[row, s[i] - 'x'] += sign * (int)factor;
                    i++;
                }
                else if (number.Length > 0)
                {
                    if (!TryParseConstant(number, out double c)) { problem = $"symmetry operation '{text}': bad number '{number}'"; return false; }
                    translation[row] += sign * c;
                }
                else { problem = $"symmetry operation '{text}': unexpected '{s[i..]}'"; return false; }
            }
        }
        operation = new SymmetryOperation(rotation, new Vec3(translation[0], translation[1], translation[2]));
        int det = rotation[0, 0] * (rotation[1, 1] * rotation[2, 2] - rotation[1, 2] * rotation[2, 1])
                - rotation[0, 1] * (rotation[1, 0] * rotation[2, 2] - rotation[1, 2] * rotation[2, 0])
                + rotation[0, 2] * (rotation[1, 0] * rotation[2, 1] - rotation[1, 1] * rotation[2, 0]);
        if (det is not (1 or -1)) { problem = $"symmetry operation '{text}' is not a crystallographic operation (determinant {det})"; return false; }
        problem = "";
        return true;
    }

    private static bool TryParseConstant(string s, out double value)
    {
        value = 0;
        int slash = s.IndexOf('/');
        if (slash < 0) return double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
        if (!double.TryParse(s[..slash], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double num)) return false;
        if (!double.TryParse(s[(slash + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double den) || den == 0) return false;
        value = num / den;
        return true;
    }
}
