using MDEngine.IO;
using MDEngine.Potentials.Eam;
using MDEngine.Structures;

namespace MDEngine.Potentials.ThreeBody;

/// <summary>
/// LAMMPS's parameter files for three-body potentials (<c>.sw</c>, <c>.tersoff</c>): entries of three element symbols
/// followed by a fixed number of numbers, free-format across lines, '#' starting a comment. The species are the
/// elements named in the entries, in order of first appearance; every (i, j, k) triplet of them must be present.
/// </summary>
internal sealed class ThreeBodyFile
{
    public required string Path { get; init; }
    public required int[] Species { get; init; }
    /// <summary>Parameters of triplet (i, j, k) at [(i·n + j)·n + k].</summary>
    public required double[][] Parameters { get; init; }

    public static int NumbersPerEntry(string path) =>
        path.EndsWith(".sw", StringComparison.OrdinalIgnoreCase) ? 11
        : path.EndsWith(".tersoff", StringComparison.OrdinalIgnoreCase) ? 14
        : throw new InputException(path, null, "not a .sw or .tersoff file");

    public static IReadOnlySet<int> ElementsIn(string path) => Read(path).Species.ToHashSet();

    public static ThreeBodyFile Read(string path)
    {
        int count = NumbersPerEntry(path);
        var reader = TokenReader.Open(path);
        var entries = new List<(int[] Z, double[] Values, int Line)>();
        var pending = new List<string>();
        int entryLine = 0;
        while (reader.TryNextTokens() is { } tokens)
        {
            if (pending.Count == 0) entryLine = reader.LineNumber;
            pending.AddRange(tokens);
            while (pending.Count >= 3 + count)
            {
                var z = new int[3];
                for (int k = 0; k < 3; k++)
                    z[k] = Element.TryFromSymbol(pending[k], out var el) ? el.Z
                        : throw new InputException(path, entryLine, $"'{pending[k]}' is not an element symbol");
                var values = new double[count];
                for (int k = 0; k < count; k++)
                {
                    string t = pending[3 + k];
                    if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[k]) || !double.IsFinite(values[k]))
                        throw new InputException(path, entryLine, $"'{t}' is not a number (parameter {k + 1} of the {pending[0]} {pending[1]} {pending[2]} entry)");
                }
                entries.Add((z, values, entryLine));
                pending.RemoveRange(0, 3 + count);
                entryLine = reader.LineNumber;
            }
        }
        if (pending.Count > 0) throw new InputException(path, entryLine, $"incomplete entry: {pending.Count} words where {3 + count} are needed");
        if (entries.Count == 0) throw new InputException(path, null, "no parameter entries");
        var species = new List<int>();
        foreach (var e in entries) foreach (int z in e.Z) if (!species.Contains(z)) species.Add(z);
        int n = species.Count;
        var table = new double[n * n * n][];
        foreach (var e in entries)
        {
            int index = (species.IndexOf(e.Z[0]) * n + species.IndexOf(e.Z[1])) * n + species.IndexOf(e.Z[2]);
            if (table[index] is not null) throw new InputException(path, e.Line, "duplicate entry for this element triplet");
            table[index] = e.Values;
        }
        for (int index = 0; index < table.Length; index++)
            if (table[index] is null)
            {
                int i = index / (n * n), j = index / n % n, k = index % n;
                throw new InputException(path, null, $"no entry for {Element.FromZ(species[i]).Symbol} {Element.FromZ(species[j]).Symbol} {Element.FromZ(species[k]).Symbol}");
            }
        return new ThreeBodyFile { Path = path, Species = species.ToArray(), Parameters = table };
    }
}
