using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Symmetry;

/// <summary>Space-group detection, standardization and refinement of a crystal (spglib's dataset). Algorithm:
/// pure translations → primitive cell → Delaunay reduction → lattice point group (metric-preserving integer
/// matrices) → translations for each rotation → space-group type and setting by matching against the database
/// in candidate conventional bases (with the origin shift from a Smith-normal-form solve) → symmetrized orbits in
/// the standardized cell → Wyckoff letters.</summary>
public static class SymmetryAnalyzer
{
    public const double DefaultSymprec = 1e-5;

    /// <summary>The symmetry of a 3D crystal, or null for a structure that is not periodic in all three directions or
    /// whose analysis fails (what a report of many structures wants: a missing entry, not an error).</summary>
    public static SymmetryDataset? Find(Structure structure, double symprec = DefaultSymprec)
    {
        if (!structure.IsCrystal) return null;
        try { return Analyze(structure, symprec); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return null; }
    }

    /// <summary>Finds the symmetry of <paramref name="structure"/> (periodic in all three directions).
    /// <paramref name="symprec"/> is a Cartesian distance (Å); <paramref name="angleTolerance"/> in degrees, or
    /// negative to derive angle checks from <paramref name="symprec"/> as spglib does.</summary>
    public static SymmetryDataset Analyze(Structure structure, double symprec = DefaultSymprec, double angleTolerance = -1)
    {
        if (!structure.Cell.IsFullRank) throw new ArgumentException("Symmetry analysis needs a periodic cell with three lattice vectors.");
        if (!(symprec > 0) || !double.IsFinite(symprec)) throw new ArgumentException("symprec must be a positive distance.");
        if (structure.Count == 0) throw new ArgumentException("The structure has no atoms.");
        if (structure.Positions.Any(p => !p.IsFinite)) throw new ArgumentException("The structure has non-finite positions.");
        // The operations found within the tolerance must form a group; when they do not match any space group (a
        // tolerance too loose for the structure), the search is repeated with tighter tolerances, as spglib does.
        double tolerance = symprec, angle = angleTolerance;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var dataset = TryAnalyze(structure, tolerance, angle);
            if (dataset is not null) return dataset;
            tolerance *= 0.95;
            if (angle > 0) angle *= 0.95;
        }
        throw new InvalidOperationException($"No space group is consistent with the operations found within symprec = {symprec} Å.");
    }

    private static SymmetryDataset? TryAnalyze(Structure structure, double symprec, double angleTolerance)
    {
        var lattice = structure.Cell.Matrix;
        var fractional = structure.FractionalPositions().Select(Fractional.Mod1).ToArray();
        var types = structure.Numbers;

        var primitive = PrimitiveCell.Find(lattice, fractional, types, symprec);
        var primitiveLattice = primitive.Basis * lattice;
        var reduction = LatticeReduction.Delaunay(primitiveLattice, symprec);
        var reducedLattice = reduction.ToMat3() * primitiveLattice;
        var basis = reduction.ToMat3() * primitive.Basis; // reduced primitive rows in input fractional coordinates
        var toReduced = reduction.ToMat3().Transpose().Inverse();
        var positions = primitive.Positions.Select(p => Fractional.Mod1(toReduced * p)).ToArray();

        var rotations = LatticePointGroup.Find(reducedLattice, symprec, angleTolerance);
        var (ops, perms) = CrystalOperations.Find(reducedLattice, positions, primitive.Types, rotations, symprec);
        var measured = MeasuredTranslations.Find(positions, primitive.Types, ops, perms);
        var match = SpaceGroupMatcher.Identify(ops, reducedLattice, lattice, symprec, measured);
        if (match is null) return null;
        return Standardizer.Build(structure, fractional, primitive, basis, reducedLattice, positions, ops, perms, match, symprec);
    }
}
