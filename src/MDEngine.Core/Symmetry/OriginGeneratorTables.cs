namespace MDEngine.Symmetry;

/// <summary>The generator sets with which the origin of the standardized cell is fixed, per lattice family, in the
/// order in which they are tried, and for each the particular solution S⁺ (a 3×9 matrix acting on the stacked
/// translation differences of up to three generators) of the origin-shift equations (W_i − I) s ≡ Δw_i, one per
/// centring (in the primitive basis of the centred lattice). Method of Grosse-Kunstleve, Acta Cryst. A55, 383 (1999):
/// with the Smith normal form U M V = D of the stacked M = (W_i − I), S⁺ = V D⁺ U. A system of equations has many
/// solutions and each generalised inverse picks a different one; these are the inverses spglib tabulates, so that
/// the origin (hence the Wyckoff letters and the standardized cell) is the one spglib reports.
/// Rows are written as nine numbers, rows separated by ';'. The numbers are spglib's (hall_symbol.c, as of 2.0,
/// whose C-centred inverses belong to the primitive basis a' = (a − b)/2, b' = (a + b)/2; BSD 3-clause, see
/// tools/reference/spglib/COPYING).</summary>
internal static class OriginGeneratorTables
{
    internal sealed record GeneratorSet(IntMat3[] Rotations, IReadOnlyDictionary<char, double[,]> Inverses);

    // Rotations in the conventional basis (rows of the matrix acting on fractional column vectors).
    private static readonly IntMat3 E = IntMat3.Identity, Inv = IntMat3.Inversion;
    private static readonly IntMat3 TwoX = new(1, 0, 0, 0, -1, 0, 0, 0, -1), TwoY = new(-1, 0, 0, 0, 1, 0, 0, 0, -1), TwoZ = new(-1, 0, 0, 0, -1, 0, 0, 0, 1);
    private static readonly IntMat3 MirrorX = -TwoX, MirrorY = -TwoY, MirrorZ = -TwoZ;
    private static readonly IntMat3 FourZ = new(0, -1, 0, 1, 0, 0, 0, 0, 1), FourBarZ = new(0, 1, 0, -1, 0, 0, 0, 0, -1);
    private static readonly IntMat3 ThreeZ = new(0, -1, 0, 1, -1, 0, 0, 0, 1), ThreeBarZ = -ThreeZ;
    private static readonly IntMat3 SixZ = new(1, -1, 0, 1, 0, 0, 0, 0, 1), SixBarZ = -SixZ;
    private static readonly IntMat3 TwoMinusXY = new(0, -1, 0, -1, 0, 0, 0, 0, -1), TwoXY = new(0, 1, 0, 1, 0, 0, 0, 0, -1);
    private static readonly IntMat3 MirrorMinusXY = -TwoMinusXY, MirrorXY = -TwoXY;
    private static readonly IntMat3 ThreeDiag = new(0, 0, 1, 1, 0, 0, 0, 1, 0), ThreeBarDiag = -ThreeDiag;

    public static readonly GeneratorSet[] Triclinic =
    [
        Set([E], ('P', "0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([E, Inv], ('P', "0 0 0 -1/2 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
    ];

    public static readonly GeneratorSet[] Monoclinic =
    [
        Set([TwoX],
            ('P', "0 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('A', "0 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('B', "-1 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('C', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('I', "-1/2 0 0 0 0 0 0 0 0; 1/2 -1 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([TwoY],
            ('P', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('A', "-1/2 0 0 0 0 0 0 0 0; 0 -1 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('B', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('C', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('I', "-1 1/2 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([TwoZ],
            ('P', "-1/2 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('A', "-1/2 0 0 0 0 0 0 0 0; 0 -1 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('B', "-1 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('C', "-1/2 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('I', "-1 0 1/2 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([MirrorX],
            ('P', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('A', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('B', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('C', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('I', "0 1 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([MirrorY],
            ('P', "0 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('A', "0 0 0 0 0 0 0 0 0; 0 -1 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('B', "0 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('C', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('I', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([MirrorZ],
            ('P', "0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('A', "0 0 0 0 0 0 0 0 0; 0 -1 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('B', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('C', "0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('I', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([TwoX, Inv],
            ('P', "0 0 0 -1/2 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('A', "0 0 0 -1/2 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('B', "0 0 0 -1/2 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; -1 0 0 1/2 0 0 0 0 0"),
            ('C', "0 0 0 -1/2 0 0 0 0 0; 1 0 0 -1/2 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('I', "0 0 0 -1/2 0 0 0 0 0; 0 -1 0 1/2 0 -1/2 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
        Set([TwoY, Inv],
            ('P', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('A', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 -1 0 0 1/2 0 0 0 0"),
            ('B', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('C', "0 0 0 -1/2 0 0 0 0 0; -1 0 0 1/2 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('I', "0 0 0 -1/2 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 1 -1/2 0 -1/2 0 0 0 0 0")),
        Set([TwoZ, Inv],
            ('P', "-1/2 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0"),
            ('A', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 1 0 0 -1/2 0 0 0 0"),
            ('B', "0 0 0 -1/2 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 1 0 0 -1/2 0 0 0 0 0"),
            ('C', "-1/2 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0"),
            ('I', "0 0 0 -1/2 0 0 0 0 0; 1 0 -1/2 -1/2 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
    ];

    public static readonly GeneratorSet[] Orthorhombic =
    [
        Set([TwoZ, TwoX],
            ('P', "-1/2 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0"),
            ('F', "0 1/2 0 -1/4 -1/4 0 0 0 0; 0 -1/2 0 -1/4 -1/4 0 0 0 0; 0 -1/2 0 -1/4 3/4 0 0 0 0"),
            ('I', "0 0 0 -1/2 0 0 0 0 0; 1/2 -1/2 0 -1/2 0 0 0 0 0; -1/2 -1/2 0 0 0 0 0 0 0"),
            ('A', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 1 0 0 -1/2 0 0 0 0"),
            ('B', "-1/2 0 0 -1/2 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 1/2 0 0 -1/2 0 0 0 0 0"),
            ('C', "-1/2 0 0 0 0 0 0 0 0; -1/2 0 0 1 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
        Set([TwoZ, MirrorX],
            ('P', "-1/2 0 0 0 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('F', "0 1 0 0 -1 0 0 0 0; 0 0 0 0 -1 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('I', "-1/2 0 0 0 1/2 0 0 0 0; 0 0 0 0 0 0 0 0 0; -1/2 0 0 0 -1/2 0 0 0 0"),
            ('A', "-1/2 0 0 0 0 0 0 0 0; 0 -1 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('B', "0 0 0 -1 0 0 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('C', "-1/2 0 0 0 0 0 0 0 0; 1/2 0 0 -1 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([MirrorZ, TwoX],
            ('P', "0 0 0 0 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('F', "0 -1 0 0 1 0 0 0 0; 0 0 0 0 -1 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('I', "0 0 0 -1/2 0 0 0 0 0; 0 -1 0 1/2 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('A', "0 0 0 0 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 -1 0 0 1/2 0 0 0 0"),
            ('B', "0 0 0 -1 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('C', "0 0 0 -1 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([MirrorZ, MirrorX],
            ('P', "0 0 0 -1/2 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('F', "0 -1 0 0 1 0 0 0 0; 0 0 0 0 -1 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('I', "-1/2 0 0 0 1/2 0 0 0 0; -1/2 0 0 0 -1/2 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('A', "0 0 0 -1/2 0 0 0 0 0; 0 -1 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('B', "-1/2 0 0 -1/2 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; -1/2 0 0 1/2 0 0 0 0 0"),
            ('C', "0 0 0 -1 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([TwoZ, TwoX, Inv],
            ('P', "-1/2 0 0 0 0 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0"),
            ('F', "0 1 0 0 0 0 0 -1/2 0; 0 0 0 0 0 0 0 -1/2 0; 0 0 0 0 1 0 0 -1/2 0"),
            ('I', "0 0 0 0 0 0 -1/2 0 0; 0 0 -1/2 0 -1 0 1/2 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('A', "-1/2 0 0 0 0 0 0 0 0; 0 -1 0 0 0 -1/2 0 0 0; 0 0 0 0 0 -1/2 0 0 0"),
            ('B', "0 0 0 0 0 0 -1/2 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 0 -1 0 0 1/2 0 0"),
            ('C', "0 0 0 0 0 0 -1/2 0 0; 0 0 0 1 0 0 -1/2 0 0; 0 0 0 0 0 -1/2 0 0 0")),
    ];

    public static readonly GeneratorSet[] Tetragonal =
    [
        Set([FourZ],
            ('P', "-1/2 1/2 0 0 0 0 0 0 0; -1/2 -1/2 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('I', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; 0 -1 0 0 0 0 0 0 0")),
        Set([FourZ, TwoX],
            ('P', "-1 0 0 0 1/2 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0"),
            ('I', "0 0 0 -1/2 0 0 0 0 0; 1 0 0 -1/2 0 0 0 0 0; 1 0 -1 0 0 0 0 0 0")),
        Set([FourZ, MirrorX],
            ('P', "0 0 0 -1/2 0 0 0 0 0; -1 0 0 1/2 0 0 0 0 0; 0 0 0 0 0 0 0 0 0"),
            ('I', "-1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0; -1 0 0 0 -1 0 0 0 0")),
        Set([FourBarZ],
            ('P', "-1/2 -1/2 0 0 0 0 0 0 0; 1/2 -1/2 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('I', "-3/4 1/4 1/4 0 0 0 0 0 0; -1/4 -1/4 -1/4 0 0 0 0 0 0; -1/2 1/2 -1/2 0 0 0 0 0 0")),
        Set([FourBarZ, TwoX],
            ('P', "-1 0 0 0 -1/2 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('I', "0 0 0 -1/2 0 0 0 0 0; -1 0 0 1/2 0 0 0 0 0; 1 0 -1 -1 0 0 0 0 0")),
        Set([FourBarZ, MirrorX],
            ('P', "0 0 0 -1/2 0 0 0 0 0; 1 0 0 -1/2 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('I', "-3/4 1/4 0 0 1/4 0 0 0 0; -1/4 -1/4 0 0 -1/4 0 0 0 0; -1/2 1/2 0 0 -1/2 0 0 0 0")),
        Set([FourZ, Inv],
            ('P', "0 0 0 -1/2 0 0 0 0 0; -1 0 0 1/2 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0"),
            ('I', "0 2 0 -1/2 0 -1 0 0 0; 1 0 0 -1/2 0 0 0 0 0; 0 -1 0 0 0 0 0 0 0")),
        Set([FourZ, TwoX, Inv],
            ('P', "-1 0 0 0 1/2 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0"),
            ('I', "-1 0 0 0 -1 0 1/2 0 -1/2; 0 0 0 0 -1 0 1/2 0 -1/2; 1 0 0 0 1 0 -1 0 0")),
    ];

    /// <summary>Trigonal groups with a primitive hexagonal lattice.</summary>
    public static readonly GeneratorSet[] Trigonal =
    [
        Set([ThreeZ], ('P', "-2/3 1/3 0 0 0 0 0 0 0; -1/3 -1/3 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([ThreeZ, TwoMinusXY], ('P', "0 1/3 0 -2/3 0 0 0 0 0; 0 -1/3 0 -1/3 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
        Set([ThreeZ, TwoXY], ('P', "0 -1 0 -2 0 0 0 0 0; 0 -1 0 -1 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
        Set([ThreeZ, MirrorMinusXY], ('P', "0 -1 0 -2 0 0 0 0 0; 0 -1 0 -1 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([ThreeZ, MirrorXY], ('P', "0 1/3 0 -2/3 0 0 0 0 0; 0 -1/3 0 -1/3 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([ThreeBarZ], ('P', "0 -1 0 0 0 0 0 0 0; 1 -1 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([ThreeBarZ, TwoMinusXY], ('P', "0 -1 0 0 0 0 0 0 0; 0 1 0 -1 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([ThreeBarZ, TwoXY], ('P', "0 -1 0 0 0 0 0 0 0; 0 -1 0 1 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([ThreeBarZ, MirrorMinusXY], ('P', "0 -1 0 0 0 0 0 0 0; 0 -1 0 1 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([ThreeBarZ, MirrorXY], ('P', "0 -1 0 0 0 0 0 0 0; 0 1 0 -1 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([ThreeZ, Inv], ('P', "-6 3 0 4 0 0 0 0 0; -3 1 0 2 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
        Set([ThreeZ, TwoMinusXY, Inv], ('P', "0 1 0 -2 0 0 1 0 0; 0 -1 0 1 0 0 -1 0 0; 0 0 0 0 0 -1/2 0 0 0")),
        Set([ThreeZ, TwoXY, Inv], ('P', "0 -1 0 -2 0 0 0 0 0; 0 -1 0 -1 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
    ];

    /// <summary>Rhombohedral groups in hexagonal axes (R centring; the inverses act in the rhombohedral primitive basis).</summary>
    public static readonly GeneratorSet[] Rhombohedral =
    [
        Set([ThreeZ], ('R', "-1 0 0 0 0 0 0 0 0; 0 0 1 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([ThreeZ, TwoXY], ('R', "-1/2 0 0 -1/2 0 0 0 0 0; -1/2 -1 0 -1/2 0 0 0 0 0; 1/2 0 0 -1/2 0 0 0 0 0")),
        Set([ThreeZ, MirrorXY], ('R', "0 0 0 -1 0 0 0 0 0; 0 -1 0 -1 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([ThreeBarZ], ('R', "-1/2 -1/2 1/2 0 0 0 0 0 0; 1/2 -1/2 -1/2 0 0 0 0 0 0; -1/2 1/2 -1/2 0 0 0 0 0 0")),
        Set([ThreeBarZ, TwoXY], ('R', "0 -1 0 0 1/2 0 0 0 0; 0 0 0 0 -1/2 0 0 0 0; 0 1 0 -1 -1/2 0 0 0 0")),
        Set([ThreeBarZ, MirrorXY], ('R', "-1/2 0 0 -1/2 0 0 0 0 0; 1/2 -1 0 1/2 0 0 0 0 0; -1/2 0 0 1/2 0 0 0 0 0")),
        Set([ThreeZ, Inv], ('R', "0 0 0 -1/2 0 0 0 0 0; 1 0 1 -1/2 0 0 0 0 0; 1 0 0 -1/2 0 0 0 0 0")),
        Set([ThreeZ, TwoXY, Inv], ('R', "0 0 0 0 0 0 -1/2 0 0; 0 -1 0 0 0 0 -1/2 0 0; 0 0 0 -1 0 0 1/2 0 0")),
    ];

    public static readonly GeneratorSet[] Hexagonal =
    [
        Set([SixZ], ('P', "-1 1 0 0 0 0 0 0 0; -1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([SixZ, TwoMinusXY], ('P', "1 0 0 -1 0 0 0 0 0; -1 0 0 0 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
        Set([SixZ, MirrorMinusXY], ('P', "-1 0 0 -1 0 0 0 0 0; -1 0 0 0 0 0 0 0 0; 0 0 0 0 0 0 0 0 0")),
        Set([SixBarZ], ('P', "-1/3 -1/3 0 0 0 0 0 0 0; 1/3 -2/3 0 0 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([SixBarZ, TwoMinusXY], ('P', "-1/3 0 0 -1/3 0 0 0 0 0; 1/3 0 0 -2/3 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([SixBarZ, MirrorMinusXY], ('P', "-1 0 0 1 0 0 0 0 0; -1 0 0 2 0 0 0 0 0; 0 0 -1/2 0 0 0 0 0 0")),
        Set([SixZ, Inv], ('P', "-1 1 0 0 0 0 0 0 0; -1 0 0 0 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
        Set([SixZ, TwoMinusXY, Inv], ('P', "1 0 0 -1 0 0 0 0 0; -1 0 0 0 0 0 0 0 0; 0 0 0 0 0 -1/2 0 0 0")),
    ];

    public static readonly GeneratorSet[] Cubic =
    [
        Set([FourZ, ThreeDiag],
            ('P', "-1/2 1/2 0 0 0 0 0 0 0; -1/2 -1/2 0 0 0 0 0 0 0; -1/2 1/2 0 1 0 0 0 0 0"),
            ('F', "0 0 -1/2 -1/2 0 0 0 0 0; 0 -1 1/2 -1/2 0 0 0 0 0; 0 0 -1/2 1/2 0 0 0 0 0"),
            ('I', "0 -1 0 -1 0 0 0 0 0; 1 -1 0 -1 0 0 0 0 0; 0 -1 0 0 0 0 0 0 0")),
        Set([FourZ, ThreeBarDiag],
            ('P', "-1/2 1/2 0 0 0 0 0 0 0; -1/2 -1/2 0 0 0 0 0 0 0; 1/2 -1/2 0 -1 0 0 0 0 0"),
            ('F', "0 1/2 -1/2 0 -1/2 0 0 0 0; 0 -1/2 1/2 0 -1/2 0 0 0 0; 0 -1/2 -1/2 0 1/2 0 0 0 0"),
            ('I', "-1 0 1 -1 0 0 0 0 0; 0 0 1 -1 0 0 0 0 0; 1 0 -1 0 0 0 0 0 0")),
        Set([TwoZ, ThreeDiag],
            ('P', "0 -1/2 0 -1 0 -1 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 -1/2 0 0 0 -1 0 0 0"),
            ('F', "0 1/4 -1/4 -1/2 0 0 0 0 0; 0 -3/4 -1/4 -1/2 0 0 0 0 0; 0 1/4 -1/4 1/2 0 0 0 0 0"),
            ('I', "1 0 -1 -2 0 -1 0 0 0; 1 0 -1 -1 0 0 0 0 0; 1 0 -1 -1 0 -1 0 0 0")),
        Set([TwoZ, ThreeBarDiag],
            ('P', "0 -1/2 0 -1 0 1 0 0 0; 0 -1/2 0 0 0 0 0 0 0; 0 1/2 0 0 0 -1 0 0 0"),
            ('F', "0 1/2 0 0 -1/2 0 0 0 0; 0 -1/2 0 0 -1/2 0 0 0 0; 0 -1/2 0 -1 1/2 0 0 0 0"),
            ('I', "-1 0 1 0 0 -1 0 0 0; 3 0 -1 -3 0 2 0 0 0; -3 0 1 3 0 -3 0 0 0")),
        Set([FourBarZ, ThreeDiag],
            ('P', "-1/2 -1/2 0 0 0 0 0 0 0; 1/2 -1/2 0 0 0 0 0 0 0; -1/2 -1/2 0 1 0 0 0 0 0"),
            ('F', "-1/4 1/4 0 -1/2 0 0 0 0 0; -1/4 -3/4 0 1/2 0 0 0 0 0; -1/4 1/4 0 1/2 0 0 0 0 0"),
            ('I', "1 2 -5 -7 0 0 0 0 0; 1 1 -4 -5 0 0 0 0 0; 0 1 -2 -2 0 0 0 0 0")),
        Set([FourBarZ, ThreeBarDiag],
            ('P', "-1/2 -1/2 0 0 0 0 0 0 0; 1/2 -1/2 0 0 0 0 0 0 0; 1/2 1/2 0 -1 0 0 0 0 0"),
            ('F', "0 0 1/2 -1/2 0 0 0 0 0; 0 -1 -1/2 -1/2 0 0 0 0 0; 0 0 -1/2 -1/2 0 0 0 0 0"),
            ('I', "-2 1 0 1 0 0 0 0 0; 1 -1 0 -1 0 0 0 0 0; 2 -1 0 -2 0 0 0 0 0")),
        Set([MirrorZ, ThreeDiag],
            ('P', "0 0 -1/2 -1 0 0 0 0 0; 0 0 -1/2 0 0 1 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('F', "0 -1/2 0 -1/2 0 -1/2 0 0 0; 0 -1/2 0 1/2 0 1/2 0 0 0; 0 -1/2 0 1/2 0 -1/2 0 0 0"),
            ('I', "-1 0 0 0 0 -1 0 0 0; -1 0 0 1 0 0 0 0 0; -1 0 0 1 0 -1 0 0 0")),
        Set([MirrorZ, ThreeBarDiag],
            ('P', "0 0 1/2 -1 0 0 0 0 0; 0 0 1/2 0 0 -1 0 0 0; 0 0 -1/2 0 0 0 0 0 0"),
            ('F', "0 0 1/2 -1/2 0 1/2 0 0 0; 0 0 1/2 1/2 0 -1/2 0 0 0; 0 0 -1/2 -1/2 0 -1/2 0 0 0"),
            ('I', "1 0 0 0 -2 1 0 0 0; -1 0 0 0 1 -1 0 0 0; 1 0 0 0 -1 0 0 0 0")),
        Set([FourZ, ThreeDiag, Inv],
            ('P', "0 0 0 0 0 0 -1/2 0 0; 0 -1 0 0 0 0 -1/2 0 0; 0 0 0 1 0 0 -1/2 0 0"),
            ('F', "0 0 0 0 0 0 -1/2 0 0; 0 -1 0 -1 0 0 1/2 0 0; 0 0 0 1 0 0 -1/2 0 0"),
            ('I', "-2 -3 0 -1 0 0 1 -1 1; -1 -3 0 -1 0 0 1 -1 1; 0 -1 0 0 0 0 0 0 0")),
        Set([TwoZ, ThreeDiag, Inv],
            ('P', "0 0 0 0 0 0 -1/2 0 0; 0 0 0 1 0 1 -1/2 0 0; 0 0 0 1 0 0 -1/2 0 0"),
            ('F', "0 0 0 0 0 0 -1/2 0 0; 0 0 -1 -2 0 0 3/2 0 0; 0 0 0 1 0 0 -1/2 0 0"),
            ('I', "-1 0 0 0 0 -1 0 -1 1; -1 0 0 1 0 0 0 -1 1; -1 0 0 1 0 -1 0 -1 1")),
    ];

    private static GeneratorSet Set(IntMat3[] rotations, params (char Centering, string Rows)[] inverses) =>
        new(rotations, inverses.ToDictionary(x => x.Centering, x => ParseRows(x.Rows)));

    private static double[,] ParseRows(string rows)
    {
        var parts = rows.Split(';');
        var m = new double[3, 9];
        for (int i = 0; i < 3; i++)
        {
            var numbers = parts[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (numbers.Length != 9) throw new InvalidOperationException($"Row '{parts[i]}' of an origin table needs nine numbers.");
            for (int j = 0; j < 9; j++) m[i, j] = ParseFraction(numbers[j]);
        }
        return m;
    }

    private static double ParseFraction(string s)
    {
        int slash = s.IndexOf('/');
        return slash < 0 ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)
            : double.Parse(s[..slash], System.Globalization.CultureInfo.InvariantCulture) / double.Parse(s[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
