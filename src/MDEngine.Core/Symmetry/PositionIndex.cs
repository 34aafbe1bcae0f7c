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

    /// <summary>The atom of species <paramref name="type"/> nearest to <paramref name="f"/> within the tolerance, or −1.</summary>
    public int Find(int type, Vec3 f)
    {
        int i0 = Index(f.X, _n0), j0 = Index(f.Y, _n1), k0 = Index(f.Z, _n2);
        int best = -1;
        double bestD2 = _tolerance2;
        // With fewer than 3 bins along an axis every bin is a neighbour: scan them all once.
        int si = _n0 < 3 ? _n0 : 3, sj = _n1 < 3 ? _n1 : 3, sk = _n2 < 3 ? _n2 : 3;
        for (int a = 0; a < si; a++)
        {
            int i = _n0 < 3 ? a : (i0 + a - 1 + _n0) % _n0;
            for (int b = 0; b < sj; b++)
            {
                int j = _n1 < 3 ? b : (j0 + b - 1 + _n1) % _n1;
                for (int c = 0; c < sk; c++)
                {
                    int k = _n2 < 3 ? c : (k0 + c - 1 + _n2) % _n2;
                    int bin = (i * _n1 + j) * _n2 + k;
                    for (int p = _binStart[bin]; p < _binStart[bin + 1]; p++)
                    {
                        int atom = _binAtoms[p];
                        if (_types[atom] != type) continue;
                        var d = Fractional.Wrap(_fractional[atom] - f) * _lattice;
                        double d2 = d.LengthSquared;
                        if (d2 < bestD2) { bestD2 = d2; best = atom; }
                    }
                }
            }
        }
        return best;
    }
}
