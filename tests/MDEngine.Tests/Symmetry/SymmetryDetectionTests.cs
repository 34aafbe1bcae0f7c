using MDEngine.Geometry;
using MDEngine.Structures;
using MDEngine.Symmetry;
using Xunit.Abstractions;

namespace MDEngine.Tests.Symmetry;

/// <summary>Detection against spglib 2.0 on the reference corpus: every one of the 230 space-group types, as
/// built and after rotation + permutation, supercell + noise and origin shift.</summary>
public class SymmetryDetectionTests(ITestOutputHelper output)
{
    private static readonly Lazy<List<(SpglibCase Case, SymmetryDataset? Found, string? Error)>> Results = new(() =>
        SpglibCorpus.All.AsParallel().AsOrdered().Select(c =>
        {
            try { return (c, (SymmetryDataset?)SymmetryAnalyzer.Analyze(c.Structure, c.Symprec), (string?)null); }
            catch (Exception ex) { return (c, null, ex.GetType().Name + ": " + ex.Message); }
        }).ToList());

    private List<string> Failures(Func<SpglibCase, SymmetryDataset, string?> check)
    {
        var failures = new List<string>();
        foreach (var (c, found, error) in Results.Value)
        {
            if (found is null) { failures.Add($"{c}: {error}"); continue; }
            var problem = check(c, found);
            if (problem is not null) failures.Add($"{c}: {problem}");
        }
        foreach (var f in failures) output.WriteLine(f);
        output.WriteLine($"{failures.Count} of {Results.Value.Count} differ");
        return failures;
    }

    [Fact]
    public void SpaceGroupNumberHallNumberAndSymbolsMatchSpglib()
    {
        var failures = Failures((c, d) =>
            d.Number != c.Number || d.HallNumber != c.HallNumber || d.International != c.International || d.PointGroup != c.PointGroup
                ? $"found {d.Number} hall {d.HallNumber} {d.International} {d.PointGroup}, spglib {c.Number} hall {c.HallNumber} {c.International} {c.PointGroup}"
                : null);
        Assert.Empty(failures);
    }

    [Fact]
    public void EquivalentAtomsAndOperationCountMatchSpglib()
    {
        var failures = Failures((c, d) =>
            !d.EquivalentAtoms.SequenceEqual(c.EquivalentAtoms) ? "equivalent atoms differ"
            : d.Operations.Count != c.OperationCount ? $"{d.Operations.Count} operations, spglib {c.OperationCount}" : null);
        Assert.Empty(failures);
    }

    /// <summary>Every structure gets spglib's Wyckoff letters exactly. For inputs in the standard setting this is the
    /// tabulated assignment; after an origin shift or in a noisy supercell it also needs spglib's choice among the
    /// origins allowed by the normaliser (its generator-set rule, ConventionalOrigin, applied to the translations as it
    /// measures them, MeasuredTranslations, in the axes in which it matches the Hall symbol, HallMatchingFrame and
    /// MonoclinicHallFrames): a different but equivalent origin relabels the Wyckoff positions.</summary>
    [Fact]
    public void WyckoffLettersMatchSpglib()
    {
        var failures = Failures((c, d) =>
        {
            string mine = new(d.Wyckoffs), theirs = new(c.Wyckoffs);
            return mine == theirs ? null : $"wyckoffs {mine} spglib {theirs} P={d.TransformationMatrix} p={d.OriginShift}";
        });
        Assert.Empty(failures);
    }

    /// <summary>Same idealized lattice parameters and the same atoms in the standardized conventional cell; identical
    /// for inputs in the standard setting (as built, rotated and permuted). Where spglib's choice among equivalent
    /// settings is not reproduced (one origin-shifted P2/m
    /// crystal; see docs/symmetry.md), the cells must agree up to one symmetry operation of the lattice and one origin
    /// shift applied to all atoms.</summary>
    [Fact]
    public void StandardizedCellsMatchSpglib()
    {
        int exact = 0;
        var failures = Failures((c, d) =>
        {
            var problem = CompareCells(d.Conventional, c.StdLattice, c.StdTypes, c.StdPositions, c.Symprec, out bool identical);
            if (problem is not null) return problem;
            if (identical) { Interlocked.Increment(ref exact); return null; }
            output.WriteLine($"setting differs {c}: P={d.TransformationMatrix} p={d.OriginShift}");
            // A structure already in the standard setting keeps it exactly.
            if (c.Name is "base" or "rotated") return "not identical to spglib's standardized cell";
            return null;
        });
        output.WriteLine($"{exact} of {Results.Value.Count} standardized cells identical to spglib's without any change of setting");
        Assert.Empty(failures);
        // Identical (same axes, same origin) for 919 of 920 with spglib's origin rule; a lower count is a regression.
        Assert.True(exact >= 919, $"only {exact} of {Results.Value.Count} standardized cells identical to spglib's");
    }

    /// <summary>The transformation (x_std = P x + p) carries every input atom onto an atom of the standardized cell,
    /// and the refined input of the noisy supercells has the same group even with a tolerance of 1e-6 Å.</summary>
    [Fact]
    public void TransformationAndRefinementAreConsistent()
    {
        var failures = Failures((c, d) =>
        {
            var input = c.Structure.FractionalPositions();
            var std = d.Conventional.FractionalPositions();
            var lattice = d.Conventional.Cell.Matrix;
            double tol = Math.Max(4 * c.Symprec, 1e-4);
            for (int i = 0; i < input.Length; i++)
            {
                var x = d.TransformationMatrix * input[i] + d.OriginShift;
                bool found = false;
                for (int j = 0; j < std.Length && !found; j++)
                    found = d.Conventional.Numbers[j] == c.Structure.Numbers[i] && (Fractional.Wrap(x - std[j]) * lattice).Length < tol;
                if (!found) return $"atom {i} is not carried onto the standardized cell";
            }
            if (c.Name != "supercell") return null;
            var again = SymmetryAnalyzer.Analyze(d.Refined, 1e-6);
            return again.Number == d.Number ? null : $"refined structure has group {again.Number}";
        });
        Assert.Empty(failures);
    }

    /// <summary>The standardized primitive cell against spglib.standardize_cell(to_primitive=True), with the same
    /// allowance for the choice of setting as the conventional cell.</summary>
    [Fact]
    public void StandardizedPrimitiveCellsMatchSpglib()
    {
        int exact = 0;
        var failures = Failures((c, d) =>
        {
            var problem = CompareCells(d.Primitive, c.PrimitiveLattice, c.PrimitiveTypes, c.PrimitivePositions, c.Symprec, out bool identical);
            if (identical) Interlocked.Increment(ref exact);
            return problem;
        });
        output.WriteLine($"{exact} of {Results.Value.Count} primitive cells identical to spglib's without any change of setting");
        Assert.Empty(failures);
        Assert.True(exact >= 919, $"only {exact} of {Results.Value.Count} standardized primitive cells identical to spglib's");
    }

    private static string? CompareCells(Structure mine, Mat3 spglibLattice, int[] types, Vec3[] positions, double symprec, out bool identical)
    {
        identical = false;
        var pm = mine.Cell.Parameters();
        var ps = new Cell(spglibLattice).Parameters();
        double tol = Math.Max(10 * symprec, 1e-4);
        if (Math.Abs(pm.A - ps.A) > tol || Math.Abs(pm.B - ps.B) > tol || Math.Abs(pm.C - ps.C) > tol ||
            Math.Abs(pm.Alpha - ps.Alpha) > 0.01 || Math.Abs(pm.Beta - ps.Beta) > 0.01 || Math.Abs(pm.Gamma - ps.Gamma) > 0.01)
            return $"lattice {pm} spglib {ps}";
        if (mine.Count != types.Length) return $"{mine.Count} atoms, spglib {types.Length}";
        var frac = mine.FractionalPositions();
        var lattice = mine.Cell.Matrix;
        bool Same(IntMat3 r, Vec3 shift)
        {
            for (int i = 0; i < types.Length; i++)
            {
                bool found = false;
                for (int j = 0; j < frac.Length && !found; j++)
                    found = mine.Numbers[j] == types[i] && (Fractional.Wrap(r * frac[j] + shift - positions[i]) * lattice).Length < tol;
                if (!found) return false;
            }
            return true;
        }
        if (Same(IntMat3.Identity, Vec3.Zero)) { identical = true; return null; }
        foreach (var r in LatticePointGroup.Find(lattice, 1e-4, -1))
            for (int j = 0; j < frac.Length; j++)
                if (mine.Numbers[j] == types[0] && Same(r, positions[0] - r * frac[j])) return null;
        return "atoms differ from spglib's standardized cell for every lattice symmetry and origin shift";
    }
}
