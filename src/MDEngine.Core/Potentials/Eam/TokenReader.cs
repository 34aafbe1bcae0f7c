using System.Globalization;
using MDEngine.IO;

namespace MDEngine.Potentials.Eam;

/// <summary>Reads a potential file line by line and as a stream of numbers, reporting file and line on bad input.
/// Numbers after '#' are comments. Reading an array starts on a fresh line and drops what is left on its last
/// line, as LAMMPS's potential reader does.</summary>
internal sealed class TokenReader
{
    private readonly string[] _lines;
    private int _next;
    public string FileName { get; }
    public int LineNumber => _next;

    public TokenReader(string fileName, string text)
    {
        FileName = fileName;
        _lines = text.Split('\n');
    }

    public static TokenReader Open(string path) => new(path, File.ReadAllText(path));

    public InputException Error(string problem) => new(FileName, _next == 0 ? null : _next, problem);

    /// <summary>The next line verbatim (for comment lines).</summary>
    public string NextRawLine()
    {
        if (_next >= _lines.Length) throw Error("unexpected end of file");
        return _lines[_next++].TrimEnd('\r');
    }

    /// <summary>The tokens of the next line that has any (blank and comment-only lines are skipped).</summary>
    public string[] NextTokens()
    {
        while (true)
        {
            var line = NextRawLine();
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            var tokens = line.Split([' ', '\t', '\f', '\v'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0) return tokens;
        }
    }

    /// <summary>The tokens of the next non-blank line, or null at the end of the file.</summary>
    public string[]? TryNextTokens()
    {
        while (_next < _lines.Length)
        {
            var line = _lines[_next++].TrimEnd('\r');
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            var tokens = line.Split([' ', '\t', '\f', '\v'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0) return tokens;
        }
        return null;
    }

    public double[] NextDoubles(int count, string what)
    {
        var values = new double[count];
        int k = 0;
        while (k < count)
        {
            string[] tokens;
            try { tokens = NextTokens(); }
            catch (InputException) { throw Error($"the file ends after {k} of the {count} values of {what}"); }
            for (int t = 0; t < tokens.Length && k < count; t++) values[k++] = ParseDouble(tokens[t], what);
        }
        return values;
    }

    public double ParseDouble(string token, string what)
    {
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw Error($"'{token}' is not a number ({what})");
        return v;
    }

    public int ParseInt(string token, string what)
    {
        if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw Error($"'{token}' is not an integer ({what})");
        return v;
    }
}
