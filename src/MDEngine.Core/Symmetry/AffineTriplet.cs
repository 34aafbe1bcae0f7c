using System.Globalization;
using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>An affine map of (x, y, z) written as a triplet, "x,2x,1/4" or "-y+1/2,x-y,z+1/3": the form of
/// symmetry operations (CIF <c>_symmetry_equiv_pos_as_xyz</c>) and of Wyckoff-position coordinates. Row i of
/// <see cref="Matrix"/> holds the coefficients of x, y, z in component i.</summary>
public readonly record struct AffineTriplet(Mat3 Matrix, Vec3 Offset)
{
    public Vec3 Apply(Vec3 p) => Matrix * p + Offset;

    /// <summary>Parses a triplet; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static AffineTriplet Parse(string text) =>
        TryParse(text, out var triplet, out string problem) ? triplet : throw new FormatException(problem + ".");

    /// <summary>Parses "x,y+1/2,-z+0.25", "-x+y, 1/2+x, z", "+X,+Y,+Z", "(x,2*x,1/4)", "x/2,y,z": each component a sum
    /// of terms ±[factor][*]x|y|z[/divisor] and constants (decimals or fractions). On failure
    /// <paramref name="problem"/> starts with the quoted text and says what is wrong.</summary>
    /// <summary>Largest translation accepted, in cell lengths.</summary>
    public const double MaxTranslation = 1000;

    public static bool TryParse(string text, out AffineTriplet triplet, out string problem)
    {
        triplet = default;
        var parts = text.Replace(" ", "").Trim('(', ')').Split(',');
        if (parts.Length != 3) { problem = $"'{text}' does not have three components"; return false; }
        var m = new Mat3();
        var offset = new Vec3();
        for (int row = 0; row < 3; row++)
        {
            string s = parts[row].ToLowerInvariant();
            if (s.Length == 0) { problem = $"'{text}' has an empty component"; return false; }
            int i = 0;
            while (i < s.Length)
            {
                double sign = 1;
                if (s[i] is '+' or '-') { sign = s[i] == '-' ? -1 : 1; i++; }
                int start = i;
                while (i < s.Length && (char.IsDigit(s[i]) || s[i] is '.' or '/')) i++;
                string number = s[start..i];
                if (number.Length > 0 && i < s.Length && s[i] == '*') i++; // "2*x"
                if (i < s.Length && s[i] is 'x' or 'y' or 'z')
                {
                    double factor = 1;
                    if (number.Length > 0 && !TryParseConstant(number, out factor)) { problem = $"'{text}': bad factor '{number}'"; return false; }
                    int axis = s[i] - 'x';
                    i++;
                    if (i < s.Length && s[i] == '/') // "x/2"
                    {
                        int divisorStart = ++i;
                        while (i < s.Length && char.IsDigit(s[i])) i++;
                        if (!TryParseConstant(s[divisorStart..i], out double divisor) || divisor == 0)
                        { problem = $"'{text}': bad divisor '{s[(divisorStart - 1)..i]}'"; return false; }
                        factor /= divisor;
                    }
                    m[row, axis] += sign * factor;
                }
                else if (number.Length > 0)
                {
                    if (!TryParseConstant(number, out double c)) { problem = $"'{text}': bad number '{number}'"; return false; }
                    offset[row] += sign * c;
                }
                else { problem = $"'{text}': unexpected '{s[i..]}'"; return false; }
            }
        }
        // "y+111…1/2" parses to a huge or infinite number; a translation of more than a few cells means nothing and
        // would turn positions into NaN once reduced modulo 1.
        for (int k = 0; k < 3; k++)
            if (!(Math.Abs(offset[k]) <= MaxTranslation) || !m.Row(k).IsFinite)
            { problem = $"'{text}': a coefficient or translation is not a finite number below {MaxTranslation}"; return false; }
        triplet = new AffineTriplet(m, offset);
        problem = "";
        return true;
    }

    /// <summary>"0.25", "1/4" (no sign: signs belong to the term).</summary>
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
