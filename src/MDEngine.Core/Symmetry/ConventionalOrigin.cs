using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>spglib's choice of origin among those allowed by the Euclidean normaliser, where its rule is reproduced.
/// spglib (after Grosse-Kunstleve, Acta Cryst. A55, 383 (1999)) tries fixed sets of generator rotations in a fixed
/// order; for the first set whose rotations all belong to the group and whose origin reproduces every operation, the
/// shift is a particular solution s = V S⁺ U Δw of (W − I) s = Δw, with Δw = t_db − t the difference between the
/// tabulated translation and the one found (t taken in [0, 1) in the conventional cell, not reduced), and the origin
/// of the standardized cell is −s. Reproduced here, for primitive lattices only: groups with the inversion centre at
/// the origin, where the inversion fixes the origin alone (measured to agree with spglib far more often than not,
/// though not for every tetragonal case), and triclinic, monoclinic and orthorhombic groups without inversion at the
/// origin, whose generators are diagonal matrices of ±1 and whose solution takes each coordinate i from the first
/// generator with W_ii = −1: s_i = −Δw_i / 2, and 0 when none reverses i. Other settings return null and keep the
/// origin nearest to the input's.</summary>
internal static class ConventionalOrigin
{
    private static readonly IntMat3 TwoX = new(1, 0, 0, 0, -1, 0, 0, 0, -1);
    private static readonly IntMat3 TwoY = new(-1, 0, 0, 0, 1, 0, 0, 0, -1);
    private static readonly IntMat3 TwoZ = new(-1, 0, 0, 0, -1, 0, 0, 0, 1);

    /// <summary>Generator sets without inversion in the order they are tried, per crystal system (primitive lattices).</summary>
    private static readonly Dictionary<string, IntMat3[][]> Sets = new()
    {
        ["triclinic"] = [[]],
        ["monoclinic"] = [[TwoX], [TwoY], [TwoZ], [-TwoX], [-TwoY], [-TwoZ]],
        ["orthorhombic"] = [[TwoZ, TwoX], [TwoZ, -TwoX], [-TwoZ, TwoX], [-TwoZ, -TwoX]],
    };

    /// <summary>The origin o (x_std = x_conv + o) spglib picks, given the operations in the conventional basis
    /// (rotation → translation) and the tabulated translations; null where the rule is not reproduced or no
    /// generator set applies. <paramref name="isSolution"/> checks a candidate origin against every operation.</summary>
    public static Vec3? Find(HallSetting setting, IReadOnlyDictionary<IntMat3, Vec3> found, IReadOnlyDictionary<IntMat3, Vec3> tabulated,
        Func<Vec3, bool> isSolution)
    {
        if (setting.Centering != 'P') return null;
        // In origin choice 1 the inversion centre lies off the origin and the other generators come first.
        if (found.TryGetValue(IntMat3.Inversion, out var tInversion) && tabulated[IntMat3.Inversion].LengthSquared < 1e-12)
        {
            // Centrosymmetric: the inversion fixes the origin on its own, o = (t_db − t) / 2.
            var o = Vec3.Zero;
            for (int i = 0; i < 3; i++) o[i] = (tabulated[IntMat3.Inversion][i] - Unit(tInversion[i])) / 2;
            return isSolution(o) ? o : null;
        }
        if (!Sets.TryGetValue(setting.CrystalSystem, out var sets)) return null;
        foreach (var generators in sets)
        {
            if (!generators.All(found.ContainsKey)) continue;
            var s = Vec3.Zero;
            for (int i = 0; i < 3; i++)
                foreach (var g in generators)
                {
                    if (g[i, i] != -1) continue;
                    double t = Unit(found[g][i]);
                    s[i] = -(tabulated[g][i] - t) / 2;
                    break;
                }
            var origin = -s;
            if (isSolution(origin)) return origin;
        }
        return null;
    }

    /// <summary>t in [0, 1); values within rounding of 1 are 0 (the found translations carry rounding from the
    /// change of basis, exact ones do not).</summary>
    private static double Unit(double t)
    {
        t -= Math.Floor(t);
        return t > 1 - 1e-8 ? 0 : t;
    }
}
