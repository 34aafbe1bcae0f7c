using MDEngine.IO;

namespace MDEngine.Symmetry;

/// <summary>The operations of a space group a CIF file names without listing them (Hall symbol, Hermann–Mauguin
/// symbol or number), from <see cref="SpaceGroupDatabase.FindBySymbol"/>: a Hermann–Mauguin symbol without a choice
/// suffix means the default setting (origin choice 1, hexagonal axes), as ASE and spglib assume. The CIF reader uses
/// it unless <see cref="CifReadOptions.SpaceGroupOperations"/> passes another source.</summary>
public static class CifSpaceGroups
{
    /// <summary>The operations of the setting a CIF names, or null for an unknown name.</summary>
    public static IReadOnlyList<SymmetryOperation>? Operations(string name) =>
        SpaceGroupDatabase.FindBySymbol(name.Trim().Trim('\'', '"'))?.Operations;
}
