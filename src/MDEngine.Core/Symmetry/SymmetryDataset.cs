using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Symmetry;

/// <summary>What a symmetry search finds (the counterpart of spglib's dataset).</summary>
public sealed class SymmetryDataset
{
    public required int Number { get; init; }
    public required HallSetting Setting { get; init; }
    /// <summary>Short Hermann–Mauguin symbol, e.g. "Fd-3m".</summary>
    public string International => Setting.InternationalShort;

    /// <summary>"Fm-3m (225)": the short international symbol and the number.</summary>
    public string Label => $"{International} ({Number})";
    public int HallNumber => Setting.HallNumber;
    public string HallSymbol => Setting.HallSymbol;
    public string PointGroup => Setting.PointGroup;
    public string CrystalSystem => Setting.CrystalSystem;
    public char Centering => Setting.Centering;

    /// <summary>The operations of the input cell in its own fractional coordinates (pure translations of a
    /// supercell included), with the atom each atom is sent to.</summary>
    public required SymmetryOperations Operations { get; init; }
    /// <summary>Wyckoff letter of every input atom.</summary>
    public required char[] Wyckoffs { get; init; }
    /// <summary>Site-symmetry symbol (oriented, from the Wyckoff tables) of every input atom.</summary>
    public required string[] SiteSymmetrySymbols { get; init; }
    /// <summary>For every atom, the lowest index of a symmetry-equivalent atom.</summary>
    public required int[] EquivalentAtoms { get; init; }
    /// <summary>For every input atom, its atom in the primitive cell.</summary>
    public required int[] MappingToPrimitive { get; init; }
    /// <summary>P and p of x_std = P x + p (mod 1): input fractional coordinates to the standardized conventional cell.</summary>
    public required Mat3 TransformationMatrix { get; init; }
    public required Vec3 OriginShift { get; init; }
    /// <summary>Standardized conventional cell (idealized lattice in the standard orientation, symmetrized positions).</summary>
    public required Structure Conventional { get; init; }
    /// <summary>Wyckoff letters of the atoms of <see cref="Conventional"/>.</summary>
    public required char[] ConventionalWyckoffs { get; init; }
    /// <summary>Orbit index of every atom of <see cref="Conventional"/> (atoms of one orbit are contiguous).</summary>
    public required int[] ConventionalOrbits { get; init; }
    /// <summary>Standardized primitive cell.</summary>
    public required Structure Primitive { get; init; }
    /// <summary>The input with its positions symmetrized to the found group (same cell, same atom order).</summary>
    public required Structure Refined { get; init; }
}

/// <summary>Symmetry operations in a cell's fractional coordinates, with the atom mapping: atom i goes to
/// atom <c>Permutations[k][i]</c> under operation k (computed on first use: a supercell has many operations).</summary>
public sealed class SymmetryOperations
{
    private readonly Lazy<int[][]> _permutations;

    public SymmetryOperations(SymmetryOperation[] operations, Func<int[][]> permutations)
    {
        Operations = operations;
        _permutations = new Lazy<int[][]>(permutations);
    }

    public SymmetryOperations(SymmetryOperation[] operations, int[][] permutations) : this(operations, () => permutations) { }

    public SymmetryOperation[] Operations { get; }

    /// <summary>When the operations are the cosets t ∘ r of the cell's pure translations t (a supercell), the
    /// representatives r with their action on the translation classes of atoms: lets the symmetrizers average
    /// over |R| + N terms instead of |R|·|T|·N.</summary>
    internal CosetFactorization? Factorization { get; init; }
    public int[][] Permutations => _permutations.Value;
    public int Count => Operations.Length;
    public IntMat3[] Rotations => Operations.Select(o => o.Rotation).ToArray();
    public Geometry.Vec3[] Translations => Operations.Select(o => o.Translation).ToArray();
}

/// <summary>Operations factorized as cosets t ∘ r: atom classes under the pure translations (atoms of one class are
/// copies of one primitive-cell atom), the rotation of each representative and the class each class goes to.</summary>
internal sealed record CosetFactorization(int[] AtomClass, int ClassCount, int TranslationCount, IntMat3[] Rotations, int[][] ClassPermutations);
