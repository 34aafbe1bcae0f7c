namespace MDEngine.Structures;

/// <summary>A chemical element: symbol, atomic number, standard atomic weight (amu) and covalent radius (Å).</summary>
public sealed record Element(int Z, string Symbol, double Mass, double CovalentRadius)
{
    public const int MaxZ = 103;

    private static readonly Element[] ByZ = BuildByZ();
    private static readonly Dictionary<string, Element> BySymbol =
        ByZ.Skip(1).ToDictionary(e => e.Symbol, StringComparer.Ordinal);

    private static Element[] BuildByZ()
    {
        var table = new Element[MaxZ + 1];
        table[0] = new Element(0, "X", 1.0, 0.2); // ASE's dummy atom
        foreach (var (z, symbol, mass, radius) in ElementData.Table) table[z] = new Element(z, symbol, mass, radius);
        return table;
    }

    public static Element FromZ(int z) =>
        z >= 1 && z <= MaxZ ? ByZ[z] : throw new ArgumentOutOfRangeException(nameof(z), $"No element with atomic number {z} (1..{MaxZ}).");

    public static bool TryFromSymbol(string symbol, out Element element) => BySymbol.TryGetValue(symbol, out element!);

    /// <summary>Looks up an element by its symbol, exactly as written (case-sensitive: "Co" is cobalt, "CO" is not an element).</summary>
    public static Element FromSymbol(string symbol) =>
        TryFromSymbol(symbol, out var e) ? e : throw new ArgumentException($"unknown element '{symbol}'", nameof(symbol));

    /// <summary>Element from a CIF atom label or type symbol such as "Fe1", "O2-", "Si(3)", "FE": the leading letters,
    /// with the case normalised, choosing a two-letter symbol when one exists.</summary>
    public static bool TryFromLabel(string label, out Element element)
    {
        element = null!;
        int n = 0;
        while (n < label.Length && n < 2 && char.IsLetter(label[n])) n++;
        if (n == 0) return false;
        if (n == 2)
        {
            string two = char.ToUpperInvariant(label[0]) + char.ToLowerInvariant(label[1]).ToString();
            if (TryFromSymbol(two, out element)) return true;
        }
        return TryFromSymbol(char.ToUpperInvariant(label[0]).ToString(), out element);
    }

    public static IReadOnlyList<Element> All => ByZ[1..];
}
