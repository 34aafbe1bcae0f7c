using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Neighbors;

/// <summary>The reference neighbor search: every atom pair through every periodic image that can lie within the
/// cutoff. O(N² · images); the fast builder is tested against it.</summary>
public static class BruteForceNeighbors
{
    public static NeighborList Build(Structure s, double cutoff, bool full = true)
    {
        var cell = CellCompletion.Complete(s.Cell.Matrix, s.Pbc);
        var widths = new Cell(cell).PerpendicularWidths();
        int[] range = new int[3];
        for (int k = 0; k < 3; k++) range[k] = s.Pbc[k] ? (int)Math.Ceiling(cutoff / widths[k]) : 0;
        // Positions may sit outside the cell; the extra image on each side covers that.
        var fractional = new Cell(cell).ToFractional(s.Positions);
        for (int k = 0; k < 3; k++)
        {
            if (!s.Pbc[k]) continue;
            double min = fractional.Length == 0 ? 0 : fractional.Min(f => f[k]), max = fractional.Length == 0 ? 0 : fractional.Max(f => f[k]);
            range[k] += (int)Math.Ceiling(max - min);
        }

        var i = new List<int>(); var j = new List<int>(); var shifts = new List<int>();
        var vectors = new List<Vec3>(); var distances = new List<double>();
        var offsets = new int[s.Count + 1];
        double cutoffSquared = cutoff * cutoff;
        for (int a = 0; a < s.Count; a++)
        {
            offsets[a] = i.Count;
            for (int b = 0; b < s.Count; b++)
                for (int x = -range[0]; x <= range[0]; x++)
                    for (int y = -range[1]; y <= range[1]; y++)
                        for (int z = -range[2]; z <= range[2]; z++)
                        {
                            bool self = a == b && x == 0 && y == 0 && z == 0;
                            if (self) continue;
                            if (!full && !IsFirstOfPair(a, b, x, y, z)) continue;
                            var v = s.Positions[b] + new Vec3(x, y, z) * cell - s.Positions[a];
                            double d2 = v.LengthSquared;
                            if (d2 >= cutoffSquared) continue;
                            i.Add(a); j.Add(b); shifts.Add(x); shifts.Add(y); shifts.Add(z);
                            vectors.Add(v); distances.Add(Math.Sqrt(d2));
                        }
        }
        offsets[s.Count] = i.Count;
        return new NeighborList(s.Count, full, cutoff, i.Count, i.ToArray(), j.ToArray(), shifts.ToArray(), vectors.ToArray(), distances.ToArray(), offsets);
    }

    /// <summary>The half-list convention: of the two directed pairs (i→j, S) and (j→i, −S), keep the one with
    /// i &lt; j, or for i = j the one whose shift is lexicographically positive.</summary>
    public static bool IsFirstOfPair(int i, int j, int sx, int sy, int sz)
    {
        if (i != j) return i < j;
        if (sx != 0) return sx > 0;
        if (sy != 0) return sy > 0;
        return sz > 0;
    }
}

/// <summary>Fills in lattice vectors along non-periodic axes so that fractional coordinates exist for any cell:
/// a zero (or degenerate) vector on a non-periodic axis is replaced by a unit vector orthogonal to the others,
/// as ASE's <c>complete_cell</c> does.</summary>
public static class CellCompletion
{
    public static Mat3 Complete(Mat3 cell, Pbc pbc)
    {
        var rows = new[] { cell.Row(0), cell.Row(1), cell.Row(2) };
        for (int k = 0; k < 3; k++)
            if (rows[k].Length < 1e-12 && pbc[k]) throw new ArgumentException($"Axis {k} is periodic but its lattice vector is zero.");
        for (int pass = 0; pass < 3; pass++)
        {
            var m = Mat3.FromRows(rows[0], rows[1], rows[2]);
            double scale = Math.Max(1e-300, rows.Where(r => r.Length > 0).Select(r => r.Length).DefaultIfEmpty(1).Aggregate(1.0, (x, l) => x * l));
            bool fullRank = rows.All(r => r.Length > 1e-12) && Math.Abs(m.Determinant) > 1e-10 * scale;
            if (fullRank) return m;
            int k = Array.FindIndex(rows, r => r.Length < 1e-12);
            if (k < 0)
                throw new ArgumentException("The cell is singular: its lattice vectors are linearly dependent.");
            rows[k] = OrthogonalUnit(rows[(k + 1) % 3], rows[(k + 2) % 3], k);
        }
        return Mat3.FromRows(rows[0], rows[1], rows[2]);
    }

    private static Vec3 OrthogonalUnit(Vec3 u, Vec3 v, int axis)
    {
        var n = u.Cross(v);
        if (n.Length > 1e-12) return n / n.Length;
        var nonZero = u.Length > 1e-12 ? u : v;
        if (nonZero.Length < 1e-12) { var e = new Vec3(); e[axis] = 1; return e; }
        // Any unit vector orthogonal to the one non-zero vector.
        var trial = Math.Abs(nonZero.X) < 0.9 * nonZero.Length ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        var w = nonZero.Cross(trial);
        return w / w.Length;
    }
}
