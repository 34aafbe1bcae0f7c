using System.Globalization;

namespace MDEngine.IO;

/// <summary>Number text shared by the readers and writers: invariant culture, shortest round-trip reals.</summary>
public static class NumberText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Shortest text that parses back to the same double, always with a decimal point or exponent so that
    /// Python and ASE read it as a real, not an integer. Python's float() reads "Infinity" and "NaN".</summary>
    public static string Real(double x)
    {
        string s = x.ToString("R", Invariant);
        if (double.IsFinite(x) && s.IndexOfAny(['.', 'E', 'e']) < 0) s += ".0";
        return s;
    }

    /// <summary>Parses a real as Python's float() does for ordinary text (also "nan", "inf", "infinity", any case).</summary>
    public static bool TryParseReal(string token, out double value)
    {
        if (double.TryParse(token, NumberStyles.Float, Invariant, out value)) return true;
        string t = token.Trim().ToLowerInvariant().TrimStart('+');
        bool negative = t.StartsWith('-');
        if (negative) t = t[1..];
        value = t switch { "nan" => double.NaN, "inf" or "infinity" => double.PositiveInfinity, _ => 0 };
        if (t is not ("nan" or "inf" or "infinity")) return false;
        if (negative) value = -value;
        return true;
    }

    public static bool TryParseInt(string token, out int value) =>
        int.TryParse(token, NumberStyles.AllowLeadingSign, Invariant, out value);
}
