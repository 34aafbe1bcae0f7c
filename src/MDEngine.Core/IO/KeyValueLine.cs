using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MDEngine.IO;

/// <summary>
/// The key=value comment line of extended XYZ, parsed with the rules of ASE 3.22
/// (<c>ase.io.extxyz.key_val_str_to_dict</c>): values may be delimited by "", '', {} or []; a backslash escapes the
/// next character; a key without a value means True. Each value then becomes, in this order of trial: an integer or
/// integer array (all tokens, split on whitespace and commas, parse as integers), a real or real array, a
/// boolean or boolean array (tokens T/F only), a <c>_JSON</c> value, or else the string itself.
/// Integers are <see cref="long"/>, reals <see cref="double"/>, booleans <see cref="bool"/>; arrays are
/// <c>long[]</c>, <c>double[]</c>, <c>bool[]</c>.
/// </summary>
public static class KeyValueLine
{
    /// <summary>Splits the line into (key, raw value) pairs, in order; a later duplicate key replaces the earlier one.</summary>
    public static List<KeyValuePair<string, string>> Split(string line)
    {
        // Each entry is a list of parts separated by '=': the first is the key, the rest joined by '=' the value.
        var entries = new List<List<StringBuilder>> { new() { new StringBuilder() } };
        char? closing = null;
        bool escaped = false;
        foreach (char ch in line.Trim())
        {
            var current = entries[^1];
            if (escaped) { current[^1].Append(ch); escaped = false; }
            else if (ch == '\\') escaped = true;
            else if (closing is not null)
            {
                if (ch == closing) closing = null;
                else current[^1].Append(ch);
            }
            else if (ch is '"' or '\'' or '{' or '[') closing = ch switch { '{' => '}', '[' => ']', _ => ch };
            else if (char.IsWhiteSpace(ch))
            {
                if (entries.Count == 1 && current.Count == 1 && current[0].Length == 0) continue;
                if (current[^1].Length == 0) continue;
                entries.Add(new List<StringBuilder> { new() });
            }
            else if (ch == '=')
            {
                // "a =b": the '=' after whitespace belongs to the previous key, as ASE does.
                if (current.Count == 1 && current[0].Length == 0 && entries.Count > 1) { entries.RemoveAt(entries.Count - 1); current = entries[^1]; }
                current.Add(new StringBuilder());
            }
            else current[^1].Append(ch);
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var entry in entries)
        {
            if (entry.Count == 1 && entry[0].Length == 0) continue;
            string key = entry[0].ToString();
            string value = entry.Count == 1 ? "T" : string.Join("=", entry.Skip(1).Select(b => b.ToString()));
            pairs.Add(new(key, value));
        }
        return pairs;
    }

    /// <summary>Parses the line into typed values (see the class summary), keeping the order of first appearance.</summary>
    public static OrderedDictionary<string, object> Parse(string line)
    {
        var result = new OrderedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, raw) in Split(line))
            result[key] = key.Equals("uid", StringComparison.OrdinalIgnoreCase) ? raw : ConvertValue(raw);
        return result;
    }

    private static readonly char[] TokenSeparators = [' ', '\t', '\n', '\r', '\f', '\v', ','];

    public static object ConvertValue(string raw)
    {
        var tokens = raw.Split(TokenSeparators, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.All(t => TryParseInteger(t, out _)))
        {
            var ints = tokens.Select(t => { TryParseInteger(t, out long v); return v; }).ToArray();
            return ints.Length == 1 ? ints[0] : ints;
        }
        if (tokens.All(t => NumberText.TryParseReal(t, out _)))
        {
            var reals = tokens.Select(t => { NumberText.TryParseReal(t, out double v); return v; }).ToArray();
            return reals.Length == 1 ? reals[0] : reals;
        }
        if (tokens.All(t => t is "T" or "F"))
        {
            var bools = tokens.Select(t => t == "T").ToArray();
            return bools.Length == 1 ? bools[0] : bools;
        }
        if (raw.StartsWith("_JSON ", StringComparison.Ordinal)) return FromJson(raw["_JSON ".Length..]) ?? raw;
        return raw;
    }

    // Python's int(): optional sign, digits (underscores between digits are allowed too, but rare enough to ignore).
    private static bool TryParseInteger(string token, out long value) =>
        long.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
            CultureInfo.InvariantCulture, out value);

    private static object? FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var items = root.EnumerateArray().ToArray();
                if (items.All(i => i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out _))) return items.Select(i => i.GetInt64()).ToArray();
                if (items.All(i => i.ValueKind == JsonValueKind.Number)) return items.Select(i => i.GetDouble()).ToArray();
                if (items.All(i => i.ValueKind is JsonValueKind.True or JsonValueKind.False)) return items.Select(i => i.GetBoolean()).ToArray();
                if (items.All(i => i.ValueKind == JsonValueKind.String)) return items.Select(i => i.GetString()!).ToArray();
            }
            return root.ValueKind switch
            {
                JsonValueKind.String => root.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => root.TryGetInt64(out long l) ? l : root.GetDouble(),
                _ => null,
            };
        }
        catch (JsonException) { return null; }
    }

    /// <summary>Writes info values as ASE does: numbers and booleans (T/F) space-separated, quoted when there are
    /// several or spaces; string arrays and other objects as <c>_JSON</c>.</summary>
    public static string FormatValue(object value) => value switch
    {
        double d => NumberText.Real(d),
        float f => NumberText.Real(f),
        long or int or short or byte => Convert.ToInt64(value).ToString(CultureInfo.InvariantCulture),
        bool b => b ? "T" : "F",
        // An empty value would swallow the next key when read back (in ASE too); JSON keeps it an empty string.
        string { Length: 0 } => Escape("_JSON \"\""),
        string s => Escape(s),
        double[] a => Escape(string.Join(" ", a.Select(NumberText.Real))),
        long[] a => Escape(string.Join(" ", a.Select(v => v.ToString(CultureInfo.InvariantCulture)))),
        int[] a => Escape(string.Join(" ", a.Select(v => v.ToString(CultureInfo.InvariantCulture)))),
        bool[] a => Escape(string.Join(" ", a.Select(v => v ? "T" : "F"))),
        string[] a => Escape("_JSON " + JsonSerializer.Serialize(a)),
        _ => throw new ArgumentException($"Cannot write a value of type {value.GetType().Name} to an extended XYZ comment line."),
    };

    /// <summary>Quotes a key or value that holds spaces, quotes or brackets, escaping inner double quotes (ASE's <c>escape</c>).</summary>
    public static string Escape(string s)
    {
        if (s.IndexOfAny(['\n', '\r']) >= 0) throw new ArgumentException($"'{s}' spans several lines and cannot be written on an extended XYZ comment line.");
        if (s.Length == 0) return "\"\"";
        if (s.IndexOfAny([' ', '"', '\'', '{', '}', '[', ']', '\t', '\\']) < 0) return s;
        return "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }
}
