using System.Globalization;

namespace MDEngine.IO;

/// <summary>Number text shared by the readers and writers: invariant culture, shortest round-trip reals.</summary>
public static class NumberText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Shortest text that parses back to the same double, always with a decimal point or exponent (lower-case e, as Python) so that
    /// Python and ASE read it as a real, not an integer. Python's float() reads "Infinity" and "NaN".</summary>
    public static string Real(double x)
    {
        string s = x.ToString("R", Invariant).Replace('E', 'e'); // 1.25e-07, as Python's repr writes it
        if (double.IsFinite(x) && s.IndexOfAny(['.', 'e']) < 0) s += ".0";
        return s;
    }

    /// <summary>Text for people: the shortest text within 1e-14 (relative, absolute below 1) of
    /// <paramref name="x"/>, so that rounding noise such as 0.30000000000000004 or 2.9250000000000003 prints as 0.3 and
    /// 2.925, with a decimal point or exponent as <see cref="Real"/>. At most 15 significant digits.</summary>
    public static string Readable(double x)
    {
        if (!double.IsFinite(x)) return Real(x);
        double tolerance = 1e-14 * Math.Max(1, Math.Abs(x));
        for (int digits = 1; digits <= 15; digits++)
        {
            double rounded = double.Parse(x.ToString("G" + digits, Invariant), Invariant);
            if (Math.Abs(rounded - x) <= tolerance) return Real(rounded == 0 ? 0 : rounded);
        }
        return Real(x);
    }

    /// <summary><see cref="Real"/> into a buffer of at least 32 characters; returns the length written.</summary>
    public static int FormatReal(double x, Span<char> destination)
    {
        if (!x.TryFormat(destination, out int n, "R", Invariant)) throw new ArgumentException("Buffer too small.", nameof(destination));
        bool hasPointOrExponent = false;
        for (int i = 0; i < n; i++)
        {
            if (destination[i] == 'E') destination[i] = 'e';
            if (destination[i] is '.' or 'e') hasPointOrExponent = true;
        }
        if (!hasPointOrExponent && double.IsFinite(x)) { destination[n++] = '.'; destination[n++] = '0'; }
        return n;
    }

    /// <summary>Parses a real as Python's float() does for ordinary text (also "nan", "inf", "infinity", any case).</summary>
    public static bool TryParseReal(string token, out double value) => TryParseReal(token.AsSpan(), out value);

    public static bool TryParseReal(ReadOnlySpan<char> token, out double value)
    {
        if (double.TryParse(token, NumberStyles.Float, Invariant, out value)) return true;
        string t = token.ToString().Trim().ToLowerInvariant().TrimStart('+');
        bool negative = t.StartsWith('-');
        if (negative) t = t[1..];
        value = t switch { "nan" => double.NaN, "inf" or "infinity" => double.PositiveInfinity, _ => 0 };
        if (t is not ("nan" or "inf" or "infinity")) return false;
        if (negative) value = -value;
        return true;
    }

    public static bool TryParseInt(ReadOnlySpan<char> token, out int value) =>
        int.TryParse(token, NumberStyles.AllowLeadingSign, Invariant, out value);

    /// <summary>Splits a line at whitespace into (start, length) ranges without allocating; returns the token count
    /// (which may exceed the room in <paramref name="ranges"/>; only that many are stored).</summary>
    public static int Tokenize(ReadOnlySpan<char> line, Span<(int Start, int Length)> ranges)
    {
        int count = 0, i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i == line.Length) break;
            int start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i])) i++;
            if (count < ranges.Length) ranges[count] = (start, i - start);
            count++;
        }
        return count;
    }
}
