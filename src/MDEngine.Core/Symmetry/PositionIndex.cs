using MDEngine.Geometry;

namespace MDEngine.Symmetry;

/// <summary>Finds the atom of a given species at a fractional position (periodic, Cartesian tolerance) in
/// O(1) per query: atoms are binned on a grid over the cell whose bins are at least the tolerance wide.</summary>
internal sealed class PositionIndex
{
    private readonly Mat3 _lattice;
    private readonly Vec3[] _fractional;
    private readonly int[] _types;
    private readonly int _n0, _n1, _n2;
    private readonly int[] _binStart, _binAtoms;
    private readonly double _tolerance2;
    private readonly double _reach0, _reach1, _reach2;

    public PositionIndex(Mat3 lattice, Vec3[] fractional, int[] types, double tolerance)
    {
        _lattice = lattice;
        _fractional = fractional;
        _types = types;
        _tolerance2 = tolerance * tolerance;
        var widths = new Structures.Cell(lattice).PerpendicularWidths();
        int cap = Math.Max(1, (int)Math.Ceiling(Math.Cbrt(fractional.Length) * 1.5));
        _n0 = Bins(widths.X, tolerance, cap);
        _n1 = Bins(widths.Y, tolerance, cap);
        _n2 = Bins(widths.Z, tolerance, cap);
        _reach0 = tolerance / widths.X * _n0 * 1.000001;
        _reach1 = tolerance / widths.Y * _n1 * 1.000001;
        _reach2 = tolerance / widths.Z * _n2 * 1.000001;
        int nb = _n0 * _n1 * _n2;
        var counts = new int[nb + 1];
        var binOf = new int[fractional.Length];
        for (int i = 0; i < fractional.Length; i++) { binOf[i] = Bin(fractional[i]); counts[binOf[i] + 1]++; }
        for (int b = 0; b < nb; b++) counts[b + 1] += counts[b];
        _binStart = counts;
        _binAtoms = new int[fractional.Length];
        var fill = (int[])counts.Clone();
        for (int i = 0; i < fractional.Length; i++) _binAtoms[fill[binOf[i]]++] = i;
    }

    private static int Bins(double width, double tolerance, int cap) =>
        Math.Clamp((int)Math.Floor(width / Math.Max(tolerance, 1e-9)), 1, cap);

    private int Bin(Vec3 f)
    {
        int i = Index(f.X, _n0), j = Index(f.Y, _n1), k = Index(f.Z, _n2);
        return (i * _n1 + j) * _n2 + k;
    }

    private static int Index(double x, int n)
    {
        int i = (int)Math.Floor(Fractional.Mod1(x) * n);
        return i >= n ? n - 1 : i;
    }

    /// <summary>The atom of species <paramref name="type"/> nearest to <paramref name="f"/> within the tolerance, or −1.
    /// Only the neighbouring bins that the tolerance sphere reaches are scanned.</summary>
    public int Find(int type, Vec3 f)
    {
        double x = Fractional.Mod1(f.X) * _n0, y = Fractional.Mod1(f.Y) * _n1, z = Fractional.Mod1(f.Z) * _n2;
        int i0 = Math.Min((int)x, _n0 - 1), j0 = Math.Min((int)y, _n1 - 1), k0 = Math.Min((int)z, _n2 - 1);
        Span<int> di = stackalloc int[3], dj = stackalloc int[3], dk = stackalloc int[3];
        int ni = Neighbours(x - i0, _reach0, _n0, di), nj = Neighbours(y - j0, _reach1, _n1, dj), nk = Neighbours(z - k0, _reach2, _n2, dk);
        var point = new Vec3(x / _n0, y / _n1, z / _n2);
        int best = -1;
        double bestD2 = _tolerance2;
        for (int a = 0; a < ni; a++)
        {
            int i = (i0 + di[a] + _n0) % _n0;
            for (int b = 0; b < nj; b++)
            {
                int j = (j0 + dj[b] + _n1) % _n1;
                for (int c = 0; c < nk; c++)
                {
                    int k = (k0 + dk[c] + _n2) % _n2;
                    int bin = (i * _n1 + j) * _n2 + k;
                    for (int p = _binStart[bin]; p < _binStart[bin + 1]; p++)
                    {
                        int atom = _binAtoms[p];
                        if (_types[atom] != type) continue;
                        var d = Fractional.Wrap(_fractional[atom] - point) * _lattice;
                        double d2 = d.LengthSquared;
                        if (d2 < bestD2) { bestD2 = d2; best = atom; }
                    }
                }
            }
        }
        return best;
    }

    /// <summary>Bin offsets to scan along one axis: 0, and −1 / +1 when the point is within the reach (tolerance in
    /// bin units) of the lower / upper bin face; every bin once when there are fewer than three.</summary>
    private static int Neighbours(double within, double reach, int n, Span<int> offsets)
    {
        if (n < 3)
        {
            for (int q = 0; q < n; q++) offsets[q] = q; // (i0 + q) mod n visits every bin once
            return n;
        }
        int count = 0;
        offsets[count++] = 0;
        if (within < reach) offsets[count++] = -1;
        if (1 - within < reach) offsets[count++] = 1;
        return count;
    }
}
