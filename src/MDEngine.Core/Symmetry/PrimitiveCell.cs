using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>The primitive cell of a crystal: the pure translations that map the crystal onto itself (found from the
/// atoms of the least frequent species), a basis of the lattice they generate, and the atoms merged into it.</summary>
internal sealed class PrimitiveCell
{
    /// <summary>Pure translations of the input cell (input fractional coordinates, first is zero).</summary>
    public required Vec3[] Translations { get; init; }
    /// <summary>Rows: primitive basis vectors in input fractional coordinates (primitive lattice = Basis · input lattice).</summary>
    public required Mat3 Basis { get; init; }
    public required Vec3[] Positions { get; init; }
    public required int[] Types { get; init; }
    /// <summary>For every input atom, its atom in the primitive cell.</summary>
    public required int[] Mapping { get; init; }

    public static PrimitiveCell Find(Mat3 lattice, Vec3[] fractional, int[] types, double symprec)
    {
        int n = fractional.Length;
        var index = new PositionIndex(lattice, fractional, types, symprec);
        // The least frequent species; among equally frequent ones the one met first (as spglib chooses its anchor).
        int rareType = types.Select((t, i) => (t, i)).GroupBy(x => x.t).OrderBy(g => g.Count()).ThenBy(g => g.First().i).First().Key;
        var rare = Enumerable.Range(0, n).Where(i => types[i] == rareType).ToArray();
        // Candidates: vectors from one atom of the rarest species to the others. The valid ones form a group, so
        // once a translation is verified atom by atom, its sums with the group found so far are added without
        // checking (breadth-first closure over the verified generators).
        var anchor = fractional[rare[0]];
        var found = new Dictionary<int, Vec3> { [rare[0]] = Vec3.Zero };
        var generators = new List<Vec3>();
        foreach (int j in rare.Skip(1))
        {
            if (found.ContainsKey(j)) continue;
            var t = Fractional.Wrap(fractional[j] - anchor);
            if (!MapsOntoItself(t, fractional, types, index)) continue;
            generators.Add(t);
            var queue = new Queue<Vec3>(found.Values);
            while (queue.Count > 0)
            {
                var u = queue.Dequeue();
                foreach (var g in generators)
                {
                    int m = index.Find(rareType, anchor + u + g);
                    if (m < 0 || found.ContainsKey(m)) continue;
                    var v = Fractional.Wrap(u + g);
                    found[m] = v;
                    queue.Enqueue(v);
                }
            }
        }
        var translations = new List<Vec3> { Vec3.Zero };
        translations.AddRange(found.Where(kv => kv.Key != rare[0]).Select(kv => kv.Value));
        int order = translations.Count;
        // A pure translation group of order m has m·t integral: snap the measured translations onto that grid.
        for (int k = 1; k < order; k++)
        {
            var t = translations[k];
            translations[k] = Fractional.Mod1(new Vec3(Math.Round(t.X * order) / order, Math.Round(t.Y * order) / order, Math.Round(t.Z * order) / order));
        }
        if (order == 1 || n % order != 0)
            return new PrimitiveCell
            {
                Translations = [Vec3.Zero], Basis = Mat3.Identity, Positions = fractional.Select(Fractional.Mod1).ToArray(),
                Types = (int[])types.Clone(), Mapping = Enumerable.Range(0, n).ToArray(),
            };
        var raw = rare.Where(j => j != rare[0] && found.ContainsKey(j)).Select(j => Fractional.Mod1(fractional[j] - anchor)).ToList();
        var basis = SpglibLatticeBasis(raw, lattice, order, symprec) ?? LatticeBasis(translations, lattice, order);
        var basisT = basis.Transpose();
        var toPrimitive = basisT.Inverse();
        var mapping = Enumerable.Repeat(-1, n).ToArray();
        var positions = new List<Vec3>();
        var ptypes = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (mapping[i] >= 0) continue;
            int p = positions.Count;
            var first = Fractional.Mod1(toPrimitive * fractional[i]);
            var sum = Vec3.Zero;
            int count = 0;
            foreach (var t in translations)
            {
                int j = index.Find(types[i], fractional[i] + t);
                if (j < 0 || mapping[j] >= 0) continue;
                mapping[j] = p;
                sum += Fractional.Wrap(toPrimitive * fractional[j] - first);
                count++;
            }
            if (mapping[i] < 0) mapping[i] = p;
            positions.Add(Fractional.Mod1(first + sum / Math.Max(count, 1)));
            ptypes.Add(types[i]);
        }
        return new PrimitiveCell
        {
            Translations = translations.ToArray(), Basis = basis, Positions = positions.ToArray(), Types = ptypes.ToArray(), Mapping = mapping,
        };
    }

    private static bool MapsOntoItself(Vec3 t, Vec3[] fractional, int[] types, PositionIndex index)
    {
        for (int i = 0; i < fractional.Length; i++)
            if (index.Find(types[i], fractional[i] + t) < 0) return false;
        return true;
    }

    /// <summary>spglib's choice of primitive basis (its orientation and signs carry over to the conventional axes in
    /// which spglib fixes the origin, see <see cref="HallMatchingFrame"/>): the first three of the pure translations
    /// (as measured, from the anchor atom to its images in input order, each coordinate taken in [0, 1)) followed by
    /// the input cell vectors whose cell is primitive, cleaned to the exact rational basis.</summary>
    private static Mat3? SpglibLatticeBasis(List<Vec3> pureTranslations, Mat3 lattice, int order, double symprec)
    {
        var vectors = new List<Vec3>(pureTranslations) { new(1, 0, 0), new(0, 1, 0), new(0, 0, 1) };
        double volume0 = Math.Abs(lattice.Determinant);
        // The search is cubic in the number of translations; in atom orders where a primitive triple comes late
        // (large, shuffled supercells) the shortest-vector basis is used instead of spending seconds here.
        long budget = 2_000_000;
        for (int i = 0; i < vectors.Count; i++)
            for (int j = i + 1; j < vectors.Count; j++)
                for (int k = j + 1; k < vectors.Count; k++)
                {
                    if (--budget < 0) return null;
                    var m = Mat3.FromRows(vectors[i], vectors[j], vectors[k]);
                    double volume = Math.Abs((m * lattice).Determinant);
                    if (volume <= symprec || RoundAway(volume0 / volume) != order) continue;
                    var inverse = IntMat3.Round(m.Inverse(), 0.5);
                    if (inverse is null || Math.Abs(inverse.Value.Determinant) != order) return m;
                    return inverse.Value.ToMat3().Inverse();
                }
        return null;
    }

    private static int RoundAway(double x) => (int)Math.Round(x, MidpointRounding.AwayFromZero);

    /// <summary>Three shortest lattice vectors (translations plus whole input-cell vectors) whose cell holds one lattice point.</summary>
    private static Mat3 LatticeBasis(List<Vec3> translations, Mat3 lattice, int order)
    {
        var vectors = new List<(Vec3 F, double L)>();
        foreach (var t in translations)
            for (int a = -1; a <= 1; a++)
                for (int b = -1; b <= 1; b++)
                    for (int c = -1; c <= 1; c++)
                    {
                        var f = Fractional.Wrap(t) + new Vec3(a, b, c);
                        double len = (f * lattice).Length;
                        if (len > 1e-8) vectors.Add((f, len));
                    }
        vectors.Sort((x, y) => x.L.CompareTo(y.L));
        int limit = Math.Min(vectors.Count, 60);
        double target = 1.0 / order;
        for (int i = 0; i < limit; i++)
            for (int j = i + 1; j < limit; j++)
            {
                if (vectors[i].F.Cross(vectors[j].F).LengthSquared < 1e-12) continue;
                for (int k = j + 1; k < vectors.Count; k++)
                {
                    var m = Mat3.FromRows(vectors[i].F, vectors[j].F, vectors[k].F);
                    double det = m.Determinant;
                    if (Math.Abs(Math.Abs(det) - target) < 1e-6)
                        return det > 0 ? m : Mat3.FromRows(vectors[i].F, vectors[k].F, vectors[j].F);
                }
            }
        throw new InvalidOperationException("No primitive basis found for the lattice translations.");
    }
}
