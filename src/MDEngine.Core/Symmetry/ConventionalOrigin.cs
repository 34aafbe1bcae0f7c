using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>spglib's choice of origin among those allowed by the Euclidean normaliser (after Grosse-Kunstleve,
/// Acta Cryst. A55, 383 (1999)). Fixed sets of generator rotations are tried in a fixed order
/// (<see cref="OriginGeneratorTables"/>); for the first set whose rotations all belong to the group and whose
/// origin reproduces every operation, the shift is the particular solution s = S⁺ Δw of (W_i − I) s ≡ Δw_i, where
/// Δw_i = t_db − t is the difference between the tabulated translation (the first operation of that rotation in
/// spglib's order) and the one found for generator i. Everything is taken in the primitive basis of the centred
/// lattice (t_p = M t) and the origin of the standardized cell is −M⁻¹ s in the conventional basis. Which
/// representative of Δw is used matters: S⁺ has entries of ±½ and ±1, so a difference taken one lattice vector
/// away moves the origin by half a lattice vector, to an equivalent origin with other Wyckoff letters. spglib's
/// choice: each component of t_p − t_db,p reduced to [0, 1) (below −10⁻¹⁰ counts as just below 1), i.e. Δw_p in
/// (−1, 0] up to that threshold.</summary>
internal static class ConventionalOrigin
{
    /// <summary>The origin o (x_std = x_conv + o) spglib picks, given the operations in the conventional basis
    /// (rotation → translation) and the tabulated ones; null when no generator set yields an origin that
    /// <paramref name="isSolution"/> accepts (a check of every operation).</summary>
    public static Vec3? Find(HallSetting setting, IReadOnlyDictionary<IntMat3, Vec3> found, IReadOnlyDictionary<IntMat3, Vec3> tabulated,
        Func<Vec3, bool> isSolution)
    {
        var toPrimitive = PrimitiveBasis(setting.Centering);
        var toConventional = toPrimitive.ToMat3().Inverse();
        var dw = new double[9];
        foreach (var set in GeneratorSets(setting))
        {
            if (!set.Inverses.TryGetValue(setting.Centering, out var inverse)) continue;
            if (!set.Rotations.All(found.ContainsKey)) continue;
            Array.Clear(dw);
            for (int k = 0; k < set.Rotations.Length; k++)
            {
                var g = set.Rotations[k];
                // Δw = t_db − t in the primitive basis of the centring, each component the negative of
                // t − t_db reduced as spglib reduces it (FractionalPart).
                Vec3 tDb = toPrimitive * tabulated[g], t = toPrimitive * found[g];
                for (int j = 0; j < 3; j++) dw[3 * k + j] = -FractionalPart(t[j] - tDb[j]);
            }
            var s = Vec3.Zero;
            for (int i = 0; i < 3; i++)
            {
                double sum = 0;
                for (int j = 0; j < 9; j++) sum += inverse[i, j] * dw[j];
                s[i] = Reduce(sum);
            }
            var origin = -(toConventional * s);
            if (isSolution(origin)) return origin;
        }
        return null;
    }

    private static OriginGeneratorTables.GeneratorSet[] GeneratorSets(HallSetting setting) => setting.CrystalSystem switch
    {
        "triclinic" => OriginGeneratorTables.Triclinic,
        "monoclinic" => OriginGeneratorTables.Monoclinic,
        "orthorhombic" => OriginGeneratorTables.Orthorhombic,
        "tetragonal" => OriginGeneratorTables.Tetragonal,
        "trigonal" => setting.Centering == 'R' ? OriginGeneratorTables.Rhombohedral : OriginGeneratorTables.Trigonal,
        "hexagonal" => OriginGeneratorTables.Hexagonal,
        _ => OriginGeneratorTables.Cubic,
    };

    /// <summary>M with t_primitive = M t_conventional: rows are the primitive basis dual to the centring's
    /// conventional-to-primitive choice (for R, the obverse rhombohedral cell of hexagonal axes). For C the primitive
    /// vectors are a' = (a − b)/2, b' = (a + b)/2 as in spglib 2.0 (1.x had a' = (a + b)/2, b' = (−a + b)/2, with
    /// the tabulated inverses for C to match): the same origin equations, but a generalised inverse taken in the other basis picks
    /// an origin ½ a away for origin-shifted C2/m, Cmm2, Ccc2 and Ccca crystals.</summary>
    private static IntMat3 PrimitiveBasis(char centering) => centering switch
    {
        'I' => new IntMat3(0, 1, 1, 1, 0, 1, 1, 1, 0),
        'F' => new IntMat3(-1, 1, 1, 1, -1, 1, 1, 1, -1),
        'A' => new IntMat3(1, 0, 0, 0, 1, 1, 0, -1, 1),
        'B' => new IntMat3(1, 0, 1, 0, 1, 0, -1, 0, 1),
        'C' => new IntMat3(1, -1, 0, 1, 1, 0, 0, 0, 1),
        'R' => new IntMat3(1, 0, 1, -1, 1, 1, 0, -1, 1),
        _ => IntMat3.Identity,
    };

    /// <summary>x mod 1 as spglib reduces it: x minus its nearest integer, plus 1 when that is below −10⁻¹⁰. So a
    /// difference a little below an integer counts as just below 1 unless it is within 10⁻¹⁰ of it, which decides
    /// spglib's origin for structures stored to 10 decimals.</summary>
    private static double FractionalPart(double x)
    {
        double r = x - Math.Round(x, MidpointRounding.AwayFromZero);
        return r < -1e-10 ? r + 1 : r;
    }

    /// <summary>x minus its nearest integer (s is defined modulo the primitive lattice).</summary>
    private static double Reduce(double x) => x - Math.Round(x, MidpointRounding.AwayFromZero);
}
