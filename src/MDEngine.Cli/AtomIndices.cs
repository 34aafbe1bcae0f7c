using System.Globalization;

namespace MDEngine.Cli;

/// <summary>Atom indices as the commands take them (<c>--fix</c> of relax and md): 0-based indices and ranges,
/// "0,3,10-15".</summary>
internal static class AtomIndices
{
    /// <summary>"0,3,10-15" → 0, 3, 10..15, sorted and without repeats; an empty or missing text is no atom.</summary>
    public static int[] Parse(string? text, string option = "--fix")
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            if (range.Length == 1 && int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)) result.Add(i);
            else if (range.Length == 2 && int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int lo)
                     && int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out int hi) && lo <= hi)
                result.AddRange(Enumerable.Range(lo, hi - lo + 1));
            else throw new UsageException($"{option}: '{part}' is not an atom index or range (0-based, e.g. 0,3,10-15)");
        }
        return result.Distinct().Order().ToArray();
    }
}
