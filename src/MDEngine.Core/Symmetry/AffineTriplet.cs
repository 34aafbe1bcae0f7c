using System.Globalization;
using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>An affine map of (x, y, z) written as a triplet, "x,2x,1/4" or "-y+1/2,x-y,z+1/3": the form of
/// symmetry operations and of Wyckoff-position coordinates. Row i of <see cref="Matrix"/> holds the coefficients of
/// x, y, z in component i.</summary>
public readonly record struct AffineTriplet(Mat3 Matrix, Vec3 Offset)
{
    public Vec3 Apply(Vec3 p) => Matrix * p + Offset;

    public static AffineTriplet Parse(string text)
    {
        var parts = text.Replace(" ", "").Trim('(', ')').Split(',');
        if (parts.Length != 3) throw new FormatException($"'{text}' is not a triplet of three expressions.");
        var m = new Mat3();
        var offset = new Vec3();
        for (int i = 0; i < 3; i++)
        {
            string s = parts[i].ToLowerInvariant();
            if (s.Length == 0) throw new FormatException($"'{text}' has an empty component.");
            int pos = 0;
            while (pos < s.Length)
            {
                double sign = 1;
                if (s[pos] == '+') pos++;
                else if (s[pos] == '-') { sign = -1; pos++; }
                int start = pos;
                while (pos < s.Length && (char.IsDigit(s[pos]) || s[pos] == '.' || s[pos] == '/')) pos++;
                string number = s[start..pos];
                double value = number.Length == 0 ? 1 : ParseNumber(number, text);
                if (pos < s.Length && s[pos] is 'x' or 'y' or 'z')
                {
                    int axis = s[pos] - 'x';
                    double coefficient = sign * value;
                    pos++;
                    if (pos < s.Length && s[pos] == '/') // "x/2"
                    {
                        int ds = ++pos;
                        while (pos < s.Length && char.IsDigit(s[pos])) pos++;
                        coefficient /= ParseNumber(s[ds..pos], text);
                    }
                    m[i, axis] += coefficient;
                }
                else
                {
                    if (number.Length == 0) throw new FormatException($"Cannot read '{parts[i]}' in '{text}'.");
                    offset[i] += sign * value;
                }
            }
        }
        return new AffineTriplet(m, offset);
    }

    private static double ParseNumber(string s, string text)
    {
        int slash = s.IndexOf('/');
        if (slash >= 0)
            return double.Parse(s[..slash], CultureInfo.InvariantCulture) / double.Parse(s[(slash + 1)..], CultureInfo.InvariantCulture);
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new FormatException($"Cannot read the number '{s}' in '{text}'.");
        return v;
    }
}
