using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>Space-group operations of a primitive cell: for every lattice point-group rotation W, the translation w
/// (if any) such that x → W x + w maps every atom onto an atom of the same species within the tolerance.</summary>
internal static class CrystalOperations
{
    public static (List<SymmetryOperation> Operations, List<int[]> Permutations) Find(
        Mat3 lattice, Vec3[] fractional, int[] types, IReadOnlyList<IntMat3> rotations, double symprec)
    {
        int n = fractional.Length;
        var index = new PositionIndex(lattice, fractional, types, symprec);
        int rareType = types.GroupBy(t => t).OrderBy(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var rare = Enumerable.Range(0, n).Where(i => types[i] == rareType).ToArray();
        var ops = new List<SymmetryOperation>();
        var perms = new List<int[]>();
        var perm = new int[n];
        foreach (var w in rotations)
        {
            var image = w * fractional[rare[0]];
            foreach (int k in rare)
            {
                var t = Fractional.Wrap(fractional[k] - image);
                bool ok = true;
                for (int i = 0; i < n && ok; i++)
                {
                    int j = index.Find(types[i], w * fractional[i] + t);
                    if (j < 0) ok = false; else perm[i] = j;
                }
                if (!ok) continue;
                // Refine the translation: mean residual over all atoms.
                var residual = Vec3.Zero;
                for (int i = 0; i < n; i++) residual += Fractional.Wrap(fractional[perm[i]] - (w * fractional[i] + t));
                ops.Add(new SymmetryOperation(w, Fractional.Mod1(t + residual / n)));
                perms.Add((int[])perm.Clone());
                break;
            }
        }
        return (ops, perms);
    }
}
