using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>Identifies the space-group type of a set of operations found on a primitive cell: for every candidate
/// conventional basis Q, the operations are expressed in that basis (W_c = Q⁻¹ W Q, w_c = Q⁻¹ w) and compared with
/// every default Hall setting of the same point group and centring; an origin shift o with
/// (I − W) o ≡ t_db(W) − w_c(W) (mod the centred lattice) for all W makes them identical.</summary>
internal static class SpaceGroupMatcher
{
    internal sealed record Match(HallSetting Setting, IntMat3 Q, Vec3 Origin);

    private sealed class GroupInfo
    {
        public required HallSetting Setting { get; init; }
        public required string Signature { get; init; }
        public required Dictionary<IntMat3, Vec3> TranslationByRotation { get; init; }
        public required Vec3[] Centering { get; init; }
    }

    private static readonly Lazy<List<GroupInfo>> Groups = new(() =>
        Enumerable.Range(1, 230).Select(n => SpaceGroupDatabase.ByNumber(n)).Select(s =>
        {
            var map = new Dictionary<IntMat3, Vec3>();
            foreach (var op in s.Operations) map.TryAdd(op.Rotation, op.Translation);
            return new GroupInfo { Setting = s, Signature = Signature(map.Keys), TranslationByRotation = map, Centering = s.CenteringVectors };
        }).ToList());

    /// <summary>Counts of the rotation types −6…6: they identify the crystallographic point group.</summary>
    public static string Signature(IEnumerable<IntMat3> rotations)
    {
        var counts = new int[13];
        foreach (var r in rotations) counts[r.RotationType() + 6]++;
        return string.Join(",", counts);
    }

    /// <summary>The default settings whose point group has these rotations.</summary>
    public static List<HallSetting> SamePointGroup(IEnumerable<IntMat3> rotations)
    {
        string sig = Signature(rotations);
        return Groups.Value.Where(g => g.Signature == sig).Select(g => g.Setting).ToList();
    }

    /// <param name="measured">Each operation's translation as measured from one pair of atoms (same lattice class as
    /// the operation's), from which the origin rule starts; see <see cref="MeasuredTranslations"/>.</param>
    public static Match? Identify(List<SymmetryOperation> ops, Mat3 primitiveLattice, Mat3 inputLattice, double symprec,
        IReadOnlyDictionary<IntMat3, Vec3>? measured = null)
    {
        var rotations = ops.Select(o => o.Rotation).ToList();
        string sig = Signature(rotations);
        var groups = Groups.Value.Where(g => g.Signature == sig).ToList();
        if (groups.Count == 0) return null;
        var candidates = ConventionalBases.Candidates(groups[0].Setting.CrystalSystem, rotations, primitiveLattice);
        Match? best = null;
        Key bestKey = default;
        double bestOriginLength = double.MaxValue;
        // Most preferred bases first; once one matches, only bases with an equal preference can still win.
        var ordered = candidates.Select(q => (Q: q, Key: Preference(groups[0].Setting.CrystalSystem, q.ToMat3().Transpose() * primitiveLattice, inputLattice)))
            .OrderBy(x => x.Key.Size).ThenByDescending(x => x.Key.Order).ThenByDescending(x => x.Key.Obtuse).ThenByDescending(x => x.Key.Alignment).ToList();
        foreach (var (q, candidateKey) in ordered)
        {
            if (best is not null && Better(bestKey, 0, candidateKey, 0)) break;
            var qm = q.ToMat3();
            var qInv = qm.Inverse();
            int det = q.Determinant;
            var centering = CenteringOf(qInv, det);
            var converted = new Dictionary<IntMat3, Vec3>();
            bool integral = true;
            foreach (var op in ops)
            {
                var w = IntMat3.Round(qInv * op.Rotation.ToMat3() * qm, 1e-6);
                if (w is null) { integral = false; break; }
                converted[w.Value] = qInv * (measured is not null && measured.TryGetValue(op.Rotation, out var t) ? t : op.Translation);
            }
            if (!integral) continue;
            var convLattice = qm.Transpose() * primitiveLattice;
            var key = Preference(groups[0].Setting.CrystalSystem, convLattice, inputLattice);
            foreach (var g in groups)
            {
                if (g.Centering.Length != det || !SameVectors(g.Centering, centering)) continue;
                if (!converted.Keys.All(g.TranslationByRotation.ContainsKey)) continue;
                var origin = SolveOrigin(converted, g, q, primitiveLattice, symprec);
                if (origin is null) continue;
                double originLength = (origin.Value * convLattice).Length;
                // The ranking of bases uses the origin nearest to the input's; the origin kept is spglib's where its
                // rule is reproduced (ConventionalOrigin), so that Wyckoff letters agree with spglib's.
                var spglib = SpglibOrigin(g, q, converted, rotations, primitiveLattice, inputLattice, symprec);
                var match = spglib is { } found ? new Match(g.Setting, found.Basis, found.Origin) : new Match(g.Setting, q, origin.Value);
                if (best is null || Better(key, originLength, bestKey, bestOriginLength)) { best = match; bestKey = key; bestOriginLength = originLength; }
            }
        }
        return best;
    }

    /// <summary>spglib's basis and origin: the origin o_K of its rule in the first of its Hall-matching frames K (axes
    /// R = Q⁻¹ K of the basis Q) in which every operation matches the setting, expressed in Q where an operation of
    /// the group carries K back to Q and kept in K otherwise; the rule applied in Q itself where the input is already
    /// a conventional cell (spglib then works in axes equivalent to the input's, as Q is).</summary>
    private static (IntMat3 Basis, Vec3 Origin)? SpglibOrigin(GroupInfo g, IntMat3 q, Dictionary<IntMat3, Vec3> converted, List<IntMat3> rotations,
        Mat3 primitiveLattice, Mat3 inputLattice, double symprec)
    {
        var qm = q.ToMat3();
        var qInv = qm.Inverse();
        // spglib first looks for axes equivalent to the input's (the same vectors up to sign and order); only where
        // the input cell is not a conventional cell of the lattice (a supercell, a primitive cell of a centred
        // lattice) does the frame come from its axis search.
        bool inputIsConventional = SameCell(qm.Transpose() * primitiveLattice, inputLattice, symprec);
        var enumerationBasis = LatticeReduction.Delaunay(primitiveLattice, symprec);
        IEnumerable<IntMat3> frames = inputIsConventional ? [] : g.Setting.CrystalSystem switch
        {
            "monoclinic" => MonoclinicHallFrames.Candidates(g.Setting, rotations, primitiveLattice, enumerationBasis, symprec),
            "orthorhombic" when HallMatchingFrame.OrthorhombicAxes(rotations, enumerationBasis) is { } axes =>
                HallMatchingFrame.Orthorhombic(g.Setting.Number, g.Setting.Centering, axes, primitiveLattice, k => InFrame(k, out _) is not null),
            "trigonal" when g.Setting.Centering == 'R' => HallMatchingFrame.Rhombohedral(rotations, enumerationBasis),
            "tetragonal" or "trigonal" or "hexagonal" or "cubic" when g.Setting.Centering is 'P' or 'I' or 'F' =>
                HallMatchingFrame.Candidates(g.Setting.CrystalSystem, rotations, enumerationBasis),
            _ => [],
        };
        foreach (var k in frames)
        {
            var inFrame = InFrame(k, out var rm);
            if (inFrame is null) continue;
            // spglib keeps the first axes in which every operation matches the Hall symbol, with the origin its rule
            // gives there. Where R is the rotation of an operation (R, w) of the setting, spglib turns its
            // standardized cell back towards the input's axes by that operation, which maps every atom onto an atom
            // of its own orbit, so the Wyckoff letters stay those of the frame: o = R o_K + w in Q. Where R is no
            // rotation of the group, no operation does so without changing letters, and spglib's standardized cell
            // stays in its own axes K; so does this one.
            var ok = ConventionalOrigin.Find(g.Setting, inFrame, g.TranslationByRotation, o => Matches(inFrame, rm, o));
            if (ok is null) continue;
            if (IntMat3.Round(rm) is not { } rInt || !g.TranslationByRotation.TryGetValue(rInt, out var w)) return (k, ok.Value);
            return (q, rm * ok.Value + w);
        }
        return ConventionalOrigin.Find(g.Setting, converted, g.TranslationByRotation,
            o => IsOrigin(o, converted, g, qm, primitiveLattice, symprec)) is { } plain ? (q, plain) : null;

        bool Matches(Dictionary<IntMat3, Vec3> inFrame, Mat3 rm, Vec3 o) => IsOrigin(o, inFrame, g, qm * rm, primitiveLattice, symprec);

        // The operations in the frame K (axes R = Q⁻¹ K of this basis), or null where they do not all match the
        // setting with the origin of spglib's rule.
        Dictionary<IntMat3, Vec3>? InFrame(IntMat3 k, out Mat3 rm)
        {
            rm = Mat3.Identity;
            var r = IntMat3.Round(qInv * k.ToMat3(), 1e-6);
            if (r is not { Determinant: 1 } rr) return null;
            rm = rr.ToMat3();
            var rInv = rm.Inverse();
            var inFrame = new Dictionary<IntMat3, Vec3>();
            foreach (var (w, t) in converted)
            {
                var wk = IntMat3.Round(rInv * w.ToMat3() * rm, 1e-6);
                if (wk is null || !g.TranslationByRotation.ContainsKey(wk.Value)) return null;
                inFrame[wk.Value] = rInv * t;
            }
            var frameBasis = rm;
            return ConventionalOrigin.Find(g.Setting, inFrame, g.TranslationByRotation, o => Matches(inFrame, frameBasis, o)) is null ? null : inFrame;
        }
    }

    /// <summary>Whether every vector of <paramref name="conv"/> is, up to sign, a vector of <paramref name="input"/>.</summary>
    private static bool SameCell(Mat3 conv, Mat3 input, double symprec)
    {
        for (int i = 0; i < 3; i++)
        {
            bool found = false;
            for (int j = 0; j < 3 && !found; j++)
                found = (conv.Row(i) - input.Row(j)).Length < symprec || (conv.Row(i) + input.Row(j)).Length < symprec;
            if (!found) return false;
        }
        return true;
    }

    private readonly record struct Key(double Size, int Order, int Obtuse, double Alignment);

    private static bool Better(Key k, double origin, Key best, double bestOrigin)
    {
        if (Math.Abs(k.Size - best.Size) > 1e-6) return k.Size < best.Size;
        if (k.Order != best.Order) return k.Order > best.Order;
        if (k.Obtuse != best.Obtuse) return k.Obtuse > best.Obtuse;
        if (Math.Abs(k.Alignment - best.Alignment) > 1e-6) return k.Alignment > best.Alignment;
        return origin < bestOrigin - 1e-9;
    }

    /// <summary>Preference among equivalent conventional bases. Monoclinic: the shortest a and c (|a| ≤ |c|) with an
    /// obtuse β, as spglib standardizes, then a and c pointing along input axes rather than against them, whichever
    /// input axes they lie along (spglib keeps the sign of the lattice vectors it takes for a and c and turns b to
    /// keep the basis right-handed: (c, −b, a) rather than (−c, −b, −a) when it swaps a and c; measured on P2 and
    /// P2₁/m); all other systems: the axes best aligned with the input's.</summary>
    private static Key Preference(string system, Mat3 conv, Mat3 input)
    {
        if (system != "monoclinic") return new Key(0, 0, 0, Alignment(conv, input));
        double alignment = DirectionAlignment(conv.Row(0), input) + DirectionAlignment(conv.Row(2), input);
        Vec3 a = conv.Row(0), c = conv.Row(2);
        double size = Math.Round(a.Length + c.Length, 6);
        int order = a.Length <= c.Length + 1e-6 ? 1 : 0;
        int obtuse = a.Dot(c) <= 1e-9 ? 1 : 0;
        return new Key(size, order, obtuse, alignment);
    }

    /// <summary>How well the conventional axes line up with the input's (sum of cosines): among equivalent choices
    /// the one closest to the input's own axes is kept, so that a structure already in a standard setting stays in it.</summary>
    private static double Alignment(Mat3 conv, Mat3 input)
    {
        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            Vec3 a = conv.Row(i), b = input.Row(i);
            s += a.Dot(b) / (a.Length * b.Length);
        }
        return Math.Round(s, 6);
    }

    /// <summary>Signed cosine between v and the input axis most nearly parallel or antiparallel to it.</summary>
    private static double DirectionAlignment(Vec3 v, Mat3 input)
    {
        double best = 0;
        for (int i = 0; i < 3; i++)
        {
            var b = input.Row(i);
            double c = v.Dot(b) / (v.Length * b.Length);
            if (Math.Abs(c) > Math.Abs(best) + 1e-9) best = c;
        }
        return Math.Round(best, 6);
    }

    private static Vec3[] CenteringOf(Mat3 qInv, int det)
    {
        // Lattice points of the conventional cell: images of the primitive lattice vectors modulo 1.
        var points = new List<Vec3> { Vec3.Zero };
        for (int a = 0; a < det; a++)
            for (int b = 0; b < det; b++)
                for (int c = 0; c < det; c++)
                {
                    var p = Fractional.Mod1(qInv * new Vec3(a, b, c));
                    if (!points.Any(x => Fractional.Wrap(x - p).LengthSquared < 1e-12)) points.Add(p);
                }
        return points.ToArray();
    }

    private static bool SameVectors(Vec3[] a, Vec3[] b) =>
        a.Length == b.Length && a.All(x => b.Any(y => Fractional.Wrap(x - y).LengthSquared < 1e-10));

    private static Vec3? SolveOrigin(Dictionary<IntMat3, Vec3> converted, GroupInfo g, IntMat3 q, Mat3 primitiveLattice, double symprec)
    {
        var qm = q.ToMat3();
        int m = converted.Count * 3;
        var a = new int[m, 3];
        var b = new double[m];
        int row = 0;
        foreach (var (w, wc) in converted)
        {
            // Q (I − W) o ≡ Q (t_db − w_c)  (mod 1): in primitive coordinates the centred lattice is ℤ³.
            var iw = IntMat3.Identity.ToMat3() - w.ToMat3();
            var qa = qm * iw;
            var rhs = qm * (g.TranslationByRotation[w] - wc);
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++) a[row, j] = (int)Math.Round(qa[i, j]);
                b[row] = rhs[i];
                row++;
            }
        }
        var solutions = OriginSolver.Solve(a, b, 0.25);
        var convLattice = qm.Transpose() * primitiveLattice;
        Vec3? best = null;
        double bestLength = double.MaxValue;
        foreach (var s in solutions)
        {
            var o = Fractional.Wrap(new Vec3(s[0], s[1], s[2]));
            if (!IsOrigin(o, converted, g, qm, primitiveLattice, symprec)) continue;
            // Equivalent origins differ by the affine normaliser; keep the one nearest to the input's origin.
            double len = (o * convLattice).Length;
            if (len < bestLength - 1e-9) { best = o; bestLength = len; }
        }
        return best;
    }

    /// <summary>Whether the origin shift o carries every converted operation onto the setting's (within symprec).</summary>
    private static bool IsOrigin(Vec3 o, Dictionary<IntMat3, Vec3> converted, GroupInfo g, Mat3 qm, Mat3 primitiveLattice, double symprec)
    {
        double tolerance = Math.Max(4 * symprec, 1e-8);
        foreach (var (w, wc) in converted)
        {
            var r = wc + (Vec3)(IntMat3.Identity.ToMat3() * o - w * o) - g.TranslationByRotation[w];
            var residual = Fractional.Wrap(qm * r) * primitiveLattice;
            if (residual.Length > tolerance) return false;
        }
        return true;
    }
}
