using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// The element of a CIF atom site, matched exactly as the CIF and IUCr conventions define it: an element symbol
/// (any case, as "FE" in old files) at the start of <c>_atom_site_type_symbol</c> or, without one, of
/// <c>_atom_site_label</c>, followed by the end of the text or by a character that is not a letter: a digit, a
/// charge (<c>Fe2+</c>, <c>O2-</c>), a parenthesis or an underscore. "Og1" is oganesson and "Wat" (W followed by a
/// letter) is no element at all: a symbol is never guessed from a prefix of a longer word. A type symbol listing
/// several species with fractions (<c>0.8Nb + 0.2Zr</c>) is substitutional disorder and is reported as such.
/// </summary>
public static class CifElementSymbol
{
    /// <summary>The element of <paramref name="text"/>, or null with <paramref name="problem"/> saying why not.</summary>
    public static Element? Match(string text, out string problem)
    {
        problem = "";
        string t = text.Trim();
        if (IsMixedSpecies(t))
        {
            problem = $"'{t}' lists several species: a site with substitutional disorder cannot be simulated as one atom";
            return null;
        }
        foreach (int length in (ReadOnlySpan<int>)[2, 1])
        {
            if (t.Length < length || !IsLetters(t.AsSpan(0, length))) continue;
            if (t.Length > length && char.IsLetter(t[length])) continue; // "Wat": 'W' is followed by a letter
            string symbol = char.ToUpperInvariant(t[0]) + t[1..length].ToLowerInvariant();
            if (Element.TryFromSymbol(symbol, out var element)) return element;
        }
        problem = $"'{t}' does not start with an element symbol followed by a non-letter";
        return null;
    }

    private static bool IsLetters(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
            if (!char.IsAsciiLetter(c)) return false;
        return true;
    }

    // "0.8Nb + 0.2Zr", "0.8Nb", "Nb Zr": a number before the first letter, or several parts (split at spaces, '+' and
    // ',') that each name something. Labels such as "O1A" or "Fe3+" are one part.
    private static bool IsMixedSpecies(string t)
    {
        if (t.Length > 0 && (char.IsAsciiDigit(t[0]) || t[0] == '.') && t.Any(char.IsAsciiLetter)) return true;
        return t.Split([' ', '\t', '+', ','], StringSplitOptions.RemoveEmptyEntries).Count(part => part.Any(char.IsAsciiLetter)) > 1;
    }
}
