namespace MDEngine.Structures;

/// <summary>A chemical element: symbol, atomic number, standard atomic weight (amu) and covalent radius (Å).</summary>
public sealed record Element(int Z, string Symbol, double Mass, double CovalentRadius)
{
    public const int MaxZ = 118;

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

    public static IReadOnlyList<Element> All => ByZ[1..];
}
