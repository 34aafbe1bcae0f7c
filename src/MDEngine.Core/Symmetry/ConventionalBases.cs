using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>Candidate conventional bases of a crystal, built from the axes of its rotations as in the International
/// Tables' choice of conventional cells: c along the 3-, 4- or 6-fold axis (a, b the shortest lattice vectors
/// perpendicular to it, b = rotation of a), the three 2- or 4-fold axes for orthorhombic and cubic crystals, b along
/// the 2-fold axis for monoclinic ones. Each candidate is an integer matrix Q whose columns are the conventional
/// basis vectors in primitive (reduced) coordinates; symmetric variants (permutations, signs) are all listed and
/// the space-group matcher picks among them.</summary>
internal static class ConventionalBases
{
    public static List<IntMat3> Candidates(string crystalSystem, IReadOnlyList<IntMat3> rotations, Mat3 lattice)
    {
        switch (crystalSystem)
        {
            case "triclinic":
                return [Triclinic(lattice)];
            case "monoclinic":
                return Monoclinic(rotations, lattice);
            case "orthorhombic":
                return ThreeAxes(AxesOfType(rotations, 2), lattice);
            case "cubic":
            {
                var axes = AxesOfType(rotations, 4);
                if (axes.Count < 3) axes = AxesOfType(rotations, 2);
                return ThreeAxes(axes, lattice);
            }
            case "tetragonal":
                return Uniaxial(rotations.First(r => Math.Abs(r.RotationType()) == 4), 4, lattice);
            default: // trigonal, hexagonal: hexagonal axes
            {
                var r = rotations.First(x => Math.Abs(x.RotationType()) is 3 or 6);
                var proper = Proper(r);
                if (Math.Abs(r.RotationType()) == 6) proper = proper * proper;
                return Uniaxial(proper, 3, lattice);
            }
        }
    }

    /// <summary>The Buerger-reduced cell (three shortest vectors forming a basis) with the signs of a Niggli cell:
    /// all angles acute when the product of the cosines is positive, all non-acute otherwise.</summary>
    private static IntMat3 Triclinic(Mat3 lattice)
    {
        var vectors = new List<int[]>();
        for (int a = -2; a <= 2; a++)
            for (int b = -2; b <= 2; b++)
                for (int c = -2; c <= 2; c++)
                    if (a != 0 || b != 0 || c != 0) vectors.Add([a, b, c]);
        vectors.Sort((x, y) => Cart(x, lattice).LengthSquared.CompareTo(Cart(y, lattice).LengthSquared));
        int[] u = vectors[0];
        int[] v = vectors.First(x => Cart(u, lattice).Cross(Cart(x, lattice)).LengthSquared > 1e-10 * Cart(u, lattice).LengthSquared * Cart(x, lattice).LengthSquared);
        int[] w = vectors.First(x => Math.Abs(Columns(u, v, x).Determinant) == 1);
        Vec3 ca = Cart(u, lattice), cb = Cart(v, lattice), cc = Cart(w, lattice);
        double ab = ca.Dot(cb), bc = cb.Dot(cc), ac = ca.Dot(cc);
        bool acute = ab * bc * ac > 0;
        // Flip b and/or c to make the signs of a·b and a·c match the type; b·c then follows.
        int sb = (ab > 0) == acute || Math.Abs(ab) < 1e-12 ? 1 : -1;
        int sc = (ac > 0) == acute || Math.Abs(ac) < 1e-12 ? 1 : -1;
        var q = Columns(u, Scale(v, sb), Scale(w, sc));
        return q.Determinant > 0 ? q : Columns(Scale(u, -1), Scale(v, -sb), Scale(w, -sc));
    }

    private static IntMat3 Proper(IntMat3 r) => r.Determinant < 0 ? -r : r;

    /// <summary>Shortest integer vector v with W v = v for the proper part of W (the rotation axis).</summary>
    public static int[] Axis(IntMat3 w)
    {
        var p = Proper(w);
        var a = new int[3][];
        for (int i = 0; i < 3; i++) a[i] = [p[i, 0] - (i == 0 ? 1 : 0), p[i, 1] - (i == 1 ? 1 : 0), p[i, 2] - (i == 2 ? 1 : 0)];
        for (int i = 0; i < 3; i++)
            for (int j = i + 1; j < 3; j++)
            {
                int[] c = [a[i][1] * a[j][2] - a[i][2] * a[j][1], a[i][2] * a[j][0] - a[i][0] * a[j][2], a[i][0] * a[j][1] - a[i][1] * a[j][0]];
                if (c[0] == 0 && c[1] == 0 && c[2] == 0) continue;
                int g = Gcd(Gcd(Math.Abs(c[0]), Math.Abs(c[1])), Math.Abs(c[2]));
                return [c[0] / g, c[1] / g, c[2] / g];
            }
        throw new InvalidOperationException("Rotation has no unique axis.");
    }

    private static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }

    private static List<int[]> AxesOfType(IReadOnlyList<IntMat3> rotations, int type)
    {
        var axes = new List<int[]>();
        foreach (var r in rotations)
        {
            if (Math.Abs(r.RotationType()) != type) continue;
            var ax = Axis(r);
            if (!axes.Any(x => (x[0] == ax[0] && x[1] == ax[1] && x[2] == ax[2]) || (x[0] == -ax[0] && x[1] == -ax[1] && x[2] == -ax[2])))
                axes.Add(ax);
        }
        return axes;
    }

    private static List<IntMat3> ThreeAxes(List<int[]> axes, Mat3 lattice)
    {
        var result = new List<IntMat3>();
        if (axes.Count != 3) return result;
        int[][] perms = [[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1], [2, 1, 0], [1, 0, 2]];
        foreach (var p in perms)
            for (int s = 0; s < 8; s++)
            {
                var q = Columns(Scale(axes[p[0]], (s & 1) != 0 ? -1 : 1), Scale(axes[p[1]], (s & 2) != 0 ? -1 : 1), Scale(axes[p[2]], (s & 4) != 0 ? -1 : 1));
                if (q.Determinant > 0) result.Add(q);
            }
        return result;
    }

    /// <summary>c along the axis of <paramref name="rotation"/> (of order n = 3 or 4, proper), a any shortest lattice
    /// vector perpendicular to c, b = R a with R the rotation by +360°/n about c.</summary>
    private static List<IntMat3> Uniaxial(IntMat3 rotation, int order, Mat3 lattice)
    {
        var r = Proper(rotation);
        var c = Axis(r);
        var sum = IntMat3.Identity;
        var power = IntMat3.Identity;
        for (int k = 1; k < order; k++) { power = power * r; sum = Add(sum, power); }
        var plane = ShortestInKernel(sum, lattice);
        var result = new List<IntMat3>();
        var rInverse = order == 4 ? r * r * r : r * r;
        foreach (var sign in new[] { 1, -1 })
        {
            var cs = Scale(c, sign);
            var cc = Cart(cs, lattice);
            foreach (var a in plane)
            {
                var b = Apply(r, a);
                if (Cart(a, lattice).Cross(Cart(b, lattice)).Dot(cc) < 0) b = Apply(rInverse, a);
                result.Add(Columns(a, b, cs));
            }
        }
        return result;
    }

    private static List<IntMat3> Monoclinic(IReadOnlyList<IntMat3> rotations, Mat3 lattice)
    {
        var r = Proper(rotations.First(x => Math.Abs(x.RotationType()) == 2));
        var b = Axis(r);
        var plane = KernelVectors(Add(IntMat3.Identity, r), lattice, 4).OrderBy(v => Cart(v, lattice).LengthSquared).ToList();
        // A reduced basis (u, v) of the plane lattice: the shortest vector and the shortest one that completes it.
        var u = plane[0];
        double minArea = double.MaxValue;
        foreach (var x in plane.Take(40))
        {
            double area = Cart(u, lattice).Cross(Cart(x, lattice)).Length;
            if (area > 1e-8 && area < minArea - 1e-8) minArea = area;
        }
        var v = plane.First(x => Math.Abs(Cart(u, lattice).Cross(Cart(x, lattice)).Length - minArea) < 1e-6 * minArea);
        var result = new List<IntMat3>();
        foreach (var sign in new[] { 1, -1 })
        {
            var bs = Scale(b, sign);
            var bc = Cart(bs, lattice);
            for (int i = -2; i <= 2; i++)
                for (int j = -2; j <= 2; j++)
                    for (int k = -2; k <= 2; k++)
                        for (int l = -2; l <= 2; l++)
                        {
                            if (Math.Abs(i * l - j * k) != 1) continue;
                            int[] a = [i * u[0] + j * v[0], i * u[1] + j * v[1], i * u[2] + j * v[2]];
                            int[] c = [k * u[0] + l * v[0], k * u[1] + l * v[1], k * u[2] + l * v[2]];
                            if (Cart(a, lattice).Cross(bc).Dot(Cart(c, lattice)) <= 0) continue;
                            result.Add(Columns(a, bs, c));
                        }
        }
        return result;
    }

    private static List<int[]> ShortestInKernel(IntMat3 m, Mat3 lattice)
    {
        var all = KernelVectors(m, lattice, 3);
        double min = all.Min(v => Cart(v, lattice).Length);
        return all.Where(v => Cart(v, lattice).Length < min * (1 + 1e-6) + 1e-9).ToList();
    }

    private static List<int[]> KernelVectors(IntMat3 m, Mat3 lattice, int range)
    {
        var list = new List<int[]>();
        for (int a = -range; a <= range; a++)
            for (int b = -range; b <= range; b++)
                for (int c = -range; c <= range; c++)
                {
                    if (a == 0 && b == 0 && c == 0) continue;
                    int[] v = [a, b, c];
                    var mv = Apply(m, v);
                    if (mv[0] == 0 && mv[1] == 0 && mv[2] == 0) list.Add(v);
                }
        return list;
    }

    private static int[] Apply(IntMat3 m, int[] v) =>
        [m[0, 0] * v[0] + m[0, 1] * v[1] + m[0, 2] * v[2], m[1, 0] * v[0] + m[1, 1] * v[1] + m[1, 2] * v[2], m[2, 0] * v[0] + m[2, 1] * v[1] + m[2, 2] * v[2]];

    private static IntMat3 Add(IntMat3 a, IntMat3 b)
    {
        var x = a.ToArray(); var y = b.ToArray();
        for (int i = 0; i < 9; i++) x[i] += y[i];
        return IntMat3.FromArray(x);
    }

    private static int[] Scale(int[] v, int s) => [v[0] * s, v[1] * s, v[2] * s];
    private static Vec3 Cart(int[] v, Mat3 lattice) => new Vec3(v[0], v[1], v[2]) * lattice;
    private static IntMat3 Columns(int[] a, int[] b, int[] c) => new(a[0], b[0], c[0], a[1], b[1], c[1], a[2], b[2], c[2]);
}
