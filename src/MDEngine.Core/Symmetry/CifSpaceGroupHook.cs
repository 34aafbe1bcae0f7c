using System.Runtime.CompilerServices;
using MDEngine.IO;

namespace MDEngine.Symmetry;

/// <summary>Lets the CIF reader expand files that name their space group (Hall symbol, Hermann–Mauguin symbol or
/// number) without listing its operations: the names resolve through <see cref="SpaceGroupDatabase.FindBySymbol"/>
/// (a Hermann–Mauguin symbol without a choice suffix means the default setting: origin choice 1, hexagonal axes,
/// as ASE and spglib assume).</summary>
public static class CifSpaceGroupHook
{
    // Runs when MDEngine.Core loads, so every reader of CIF files (library or CLI) gets the tables.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Install() => CifReader.SpaceGroupOperationsProvider ??= Operations;

    /// <summary>The operations of the setting a CIF names, or null for an unknown name.</summary>
    public static IReadOnlyList<SymmetryOperation>? Operations(string name) =>
        SpaceGroupDatabase.FindBySymbol(name.Trim().Trim('\'', '"'))?.Operations;
}
