using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Symmetry;

/// <summary>From an identified space group to the full dataset: orbits symmetrized with the exact operations of
/// the database setting, the standardized conventional and primitive cells, Wyckoff letters, the operations in the
/// input's frame and the refined input.</summary>
internal static class Standardizer
{
    public static SymmetryDataset Build(Structure structure, Vec3[] fractional, PrimitiveCell primitive, Mat3 reducedBasis,
        Mat3 reducedLattice, Vec3[] reducedPositions, List<SymmetryOperation> ops, List<int[]> perms,
        SpaceGroupMatcher.Match match, double symprec)
    {
        var setting = match.Setting;
        var q = match.Q.ToMat3();
        var qInv = q.Inverse();
        var o = match.Origin;
        var convLattice = q.Transpose() * reducedLattice;
        // x_std = P x_input + o with P = (Trᵀ Q)⁻¹, Tr the reduced primitive rows in input coordinates.
        var pInverse = reducedBasis.Transpose() * q;
        var p = pInverse.Inverse();
        int np = reducedPositions.Length;

        // Orbits of the primitive atoms under the crystal's operations.
        var orbit = Enumerable.Range(0, np).ToArray();
        int Root(int i) { while (orbit[i] != i) i = orbit[i] = orbit[orbit[i]]; return i; }
        foreach (var perm in perms)
            for (int i = 0; i < np; i++) { int a = Root(i), b = Root(perm[i]); if (a != b) orbit[Math.Max(a, b)] = Math.Min(a, b); }
        for (int i = 0; i < np; i++) orbit[i] = Root(i);

        var dbOps = setting.Operations;
        var orbitPoints = new Dictionary<int, List<Vec3>>();
        var orbitWyckoff = new Dictionary<int, WyckoffPosition>();
        int centringCount = setting.CenteringVectors.Length;
        foreach (int root in orbit.Distinct())
        {
            int primitiveCount = orbit.Count(x => x == root);
            int multiplicity = primitiveCount * centringCount;
            var x = qInv * reducedPositions[root] + o;
            // Site-symmetry group: the |G|/multiplicity operations that move x the least.
            var displacements = dbOps.Select(g => Fractional.Wrap(g.Apply(x) - x)).OrderBy(d => (d * convLattice).LengthSquared).ToList();
            int stabilizerOrder = Math.Max(1, dbOps.Length / multiplicity);
            var shift = Vec3.Zero;
            for (int k = 0; k < stabilizerOrder; k++) shift += displacements[k];
            var xs = Fractional.Mod1(x + shift / stabilizerOrder);
            var points = new List<Vec3>();
            var pointKeys = new HashSet<(long, long, long)>();
            foreach (var g in dbOps)
            {
                var y = Fractional.Mod1(g.Apply(xs));
                if (pointKeys.Add(GridKey(y))) points.Add(y);
            }
            orbitPoints[root] = points;
            orbitWyckoff[root] = WyckoffAssigner.Assign(setting, points, convLattice, 1e-4);
        }

        // Standardized conventional cell.
        var idealConv = IdealLattice.Idealize(convLattice, setting.CrystalSystem);
        var convNumbers = new List<int>();
        var convFrac = new List<Vec3>();
        var convLetters = new List<char>();
        var convOrbits = new List<int>();
        int orbitIndex = 0;
        foreach (var (root, points) in orbitPoints.OrderBy(kv => kv.Key))
        {
            foreach (var y in points)
            {
                convOrbits.Add(orbitIndex);
                convNumbers.Add(primitive.Types[root]);
                convFrac.Add(y);
                convLetters.Add(orbitWyckoff[root].Letter);
            }
            orbitIndex++;
        }
        var conventional = Structure.FromFractional(convNumbers, convFrac, new Cell(idealConv));

        // Standardized primitive cell: (a_p b_p c_p) = (a b c) M.
        var m = IdealLattice.PrimitiveMatrix(setting.Centering);
        var primLattice = m.Transpose() * idealConv;
        var mInv = m.Inverse();
        var primNumbers = new List<int>();
        var primFrac = new List<Vec3>();
        var primKeys = new HashSet<(long, long, long)>();
        for (int i = 0; i < convFrac.Count; i++)
        {
            var f = Fractional.Mod1(mInv * convFrac[i]);
            if (!primKeys.Add(GridKey(f))) continue;
            primNumbers.Add(convNumbers[i]);
            primFrac.Add(f);
        }
        var primitiveStd = Structure.FromFractional(primNumbers, primFrac, new Cell(primLattice));

        // Refined input: every atom moved onto its symmetrized orbit point (the nearest lattice image).
        int n = structure.Count;
        var refinedFrac = new Vec3[n];
        var letters = new char[n];
        var siteSymbols = new string[n];
        for (int i = 0; i < n; i++)
        {
            int root = orbit[primitive.Mapping[i]];
            var xStd = p * fractional[i] + o;
            Vec3 bestPoint = xStd;
            double bestD = double.MaxValue;
            foreach (var y in orbitPoints[root])
            {
                var d = (Fractional.Wrap(y - xStd) * convLattice).LengthSquared;
                if (d < bestD) { bestD = d; bestPoint = xStd + Fractional.Wrap(y - xStd); }
            }
            refinedFrac[i] = pInverse * (bestPoint - o);
            letters[i] = orbitWyckoff[root].Letter;
            siteSymbols[i] = orbitWyckoff[root].SiteSymmetry;
        }
        var refined = structure.Clone();
        refined.SetFractionalPositions(refinedFrac);

        // Equivalent atoms as spglib reports them: orbits under the operations expressible in the input cell (a
        // supercell that breaks part of the lattice symmetry splits orbits), each labelled by its lowest index.
        var primitiveOrbit = Enumerable.Range(0, np).ToArray();
        int FindOrbit(int i) { while (primitiveOrbit[i] != i) i = primitiveOrbit[i] = primitiveOrbit[primitiveOrbit[i]]; return i; }
        void Union(int a, int b) { a = FindOrbit(a); b = FindOrbit(b); if (a != b) primitiveOrbit[Math.Max(a, b)] = Math.Min(a, b); }
        var inputOps = InputFrameOperations(dbOps, p, pInverse, o, primitive.Translations, structure.Cell.Matrix, refinedFrac,
            structure.Numbers, symprec, primitive.Mapping, Union);
        var equivalent = new int[n];
        var firstOf = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            int root = FindOrbit(primitive.Mapping[i]);
            if (!firstOf.TryGetValue(root, out int first)) firstOf[root] = first = i;
            equivalent[i] = first;
        }

        return new SymmetryDataset
        {
            Number = setting.Number, Setting = setting, Operations = inputOps, Wyckoffs = letters, SiteSymmetrySymbols = siteSymbols,
            EquivalentAtoms = equivalent, MappingToPrimitive = primitive.Mapping, TransformationMatrix = p, OriginShift = Fractional.Mod1Clean(o),
            Conventional = conventional, ConventionalWyckoffs = convLetters.ToArray(), ConventionalOrbits = convOrbits.ToArray(), Primitive = primitiveStd, Refined = refined,
        };
    }

    /// <summary>The database operations carried to the input frame, W_in = P⁻¹ W P, w_in = P⁻¹ (t + W o − o), kept
    /// where W_in is an integer matrix (a supercell may break part of the lattice symmetry), combined with the input
    /// cell's pure translations. Each operation is t_k ∘ g, so its atom mapping is the composition of the mapping of
    /// g with that of t_k: only |G| + |T| mappings are looked up, and only when the permutations are first used.
    /// Orbits of the primitive atoms under these operations go to <paramref name="orbitUnion"/>.</summary>
    private static SymmetryOperations InputFrameOperations(SymmetryOperation[] dbOps, Mat3 p, Mat3 pInverse, Vec3 o,
        Vec3[] pureTranslations, Mat3 lattice, Vec3[] refinedFrac, int[] numbers, double symprec, int[] mapping, Action<int, int> orbitUnion)
    {
        var wrapped = refinedFrac.Select(Fractional.Mod1).ToArray();
        var index = new PositionIndex(lattice, wrapped, numbers, Math.Max(symprec, 1e-4));
        int n = wrapped.Length;
        int[] MapAtoms(SymmetryOperation op)
        {
            var perm = new int[n];
            for (int i = 0; i < n; i++) perm[i] = index.Find(numbers[i], op.Apply(wrapped[i]));
            return perm;
        }
        var reps = new List<SymmetryOperation>();
        var list = new List<SymmetryOperation>();
        var parts = new List<(int Rep, int Translation)>();
        var seen = new HashSet<(IntMat3, long, long, long)>();
        foreach (var g in dbOps)
        {
            var w = IntMat3.Round(pInverse * g.Rotation.ToMat3() * p, 1e-5);
            if (w is null) continue;
            var baseT = Fractional.Mod1Clean(pInverse * (g.Translation + g.Rotation * o - o));
            int repIndex = -1;
            for (int k = 0; k < pureTranslations.Length; k++)
            {
                var tr = Fractional.Mod1Clean(baseT + pureTranslations[k]);
                var key = (w.Value, Key(tr.X), Key(tr.Y), Key(tr.Z));
                if (!seen.Add(key)) continue;
                if (repIndex < 0) { repIndex = reps.Count; reps.Add(new SymmetryOperation(w.Value, baseT)); }
                list.Add(new SymmetryOperation(w.Value, tr));
                parts.Add((repIndex, k));
            }
        }
        // Orbits: every input cell keeps its pure translations, so orbits are unions of translation classes
        // (primitive atoms); the representatives g act on one input atom per primitive atom.
        var firstInput = new Dictionary<int, int>();
        for (int i = 0; i < n; i++) firstInput.TryAdd(mapping[i], i);
        int classCount = firstInput.Count;
        var classPerms = new int[reps.Count][];
        bool complete = list.Count == reps.Count * pureTranslations.Length && firstInput.Keys.All(c => c < classCount);
        for (int r = 0; r < reps.Count; r++)
        {
            classPerms[r] = new int[classCount];
            foreach (var (prim, i) in firstInput)
            {
                int j = index.Find(numbers[i], reps[r].Apply(wrapped[i]));
                if (j >= 0) { orbitUnion(prim, mapping[j]); if (prim < classCount) classPerms[r][prim] = mapping[j]; }
                else complete = false;
            }
        }
        var factorization = complete
            ? new CosetFactorization(mapping, classCount, pureTranslations.Length, reps.Select(x => x.Rotation).ToArray(), classPerms)
            : null;
        return new SymmetryOperations(list.ToArray(), () =>
        {
            var translationPerms = pureTranslations.Select(t => MapAtoms(new SymmetryOperation(IntMat3.Identity, t))).ToArray();
            var repPerms = reps.Select(MapAtoms).ToArray();
            return parts.Select(part =>
            {
                var g = repPerms[part.Rep];
                var t = translationPerms[part.Translation];
                var perm = new int[n];
                for (int i = 0; i < n; i++) perm[i] = g[i] < 0 ? -1 : t[g[i]];
                return perm;
            }).ToArray();
        }) { Factorization = factorization };
    }

    /// <summary>Key of a fractional point on a 10⁻⁶ grid, periodic (points of exact orbits differ by rounding only).</summary>
    private static (long, long, long) GridKey(Vec3 f)
    {
        const long n = 1_000_000;
        long K(double x) { long k = (long)Math.Round(x * n) % n; return k < 0 ? k + n : k; }
        return (K(f.X), K(f.Y), K(f.Z));
    }

    private static long Key(double x)
    {
        long k = (long)Math.Round(x * 1e4);
        return k == 10000 ? 0 : k;
    }
}
