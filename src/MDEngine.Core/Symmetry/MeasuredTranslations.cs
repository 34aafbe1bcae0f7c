using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>The translation of each operation as spglib measures it: from one pair of atoms of the primitive cell,
/// t = p_j − W p_m, with p_m the first atom of the least frequent species (ties: the species met first) and p_j its
/// image, the positions being the averages over the pure translations. For a structure with noise this keeps the
/// noise of that pair rather than averaging it away; the origin rule (<see cref="ConventionalOrigin"/>) depends on
/// which side of a tabulated translation the measured one falls, so the same measurement is needed to make the same
/// choice.</summary>
internal static class MeasuredTranslations
{
    /// <param name="positions">Primitive-cell positions (averaged over the pure translations), in input order of first appearance.</param>
    /// <param name="permutations">For each operation, the atom onto which it carries each atom.</param>
    public static Dictionary<IntMat3, Vec3> Find(Vec3[] positions, int[] types, IReadOnlyList<SymmetryOperation> operations,
        IReadOnlyList<int[]> permutations)
    {
        int m = FirstOfLeastFrequentSpecies(types);
        var result = new Dictionary<IntMat3, Vec3>(operations.Count);
        for (int k = 0; k < operations.Count; k++)
        {
            var w = operations[k].Rotation;
            result[w] = positions[permutations[k][m]] - w * positions[m];
        }
        return result;
    }

    private static int FirstOfLeastFrequentSpecies(int[] types)
    {
        var first = new Dictionary<int, int>();
        var count = new Dictionary<int, int>();
        for (int i = 0; i < types.Length; i++)
        {
            first.TryAdd(types[i], i);
            count[types[i]] = count.GetValueOrDefault(types[i]) + 1;
        }
        return first.Values.OrderBy(i => count[types[i]]).ThenBy(i => i).First();
    }
}
