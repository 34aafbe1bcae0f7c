using System.CommandLine;
using MDEngine.IO;

namespace MDEngine.Cli;

/// <summary>Options about reading input files that several commands share, with one name and meaning everywhere.</summary>
internal static class ReadOptions
{
    public static Option<bool> KeepPartialSites() => new("--keep-partial-sites")
    {
        Description = "CIF: keep every partially occupied site as a whole atom, its occupancy in the per-atom array " +
            "'occupancy' (the structure then has more atoms than the crystal; for inspection and conversion, not simulation).",
    };

    public static CifReadOptions? Cif(ParseResult parse, Option<bool> keepPartialSites) =>
        parse.GetValue(keepPartialSites) ? new CifReadOptions(AllowPartialOccupancy: true) : null;
}
