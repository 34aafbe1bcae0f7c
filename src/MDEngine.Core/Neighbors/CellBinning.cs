using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Neighbors;

/// <summary>
/// Atoms sorted into a grid of bins in fractional coordinates of the (completed) cell: the spatial index of the
/// linked-cell neighbor search.
/// <para>Along a periodic axis every atom is wrapped into [0, 1) and the integer lattice translation removed is
/// remembered (<see cref="ImageOffsets"/>), so that pair shifts can be reported for the original positions. Along a
/// non-periodic axis the grid spans the atoms' bounding box.</para>
/// <para>A pair closer than the cutoff differs in fractional coordinate k by less than cutoff / w_k, where w_k is
/// the perpendicular width of the cell along k (|Δf_k| = |Δr · b_k| ≤ |Δr| |b_k|, b_k the reciprocal vector,
/// |b_k| = 1/w_k). So with bins h_k wide (fraction) a neighbor lies at most ⌈cutoff / (h_k w_k)⌉ bins away along k,
/// whatever the skew of the cell: that is <see cref="Reach"/>. Bins whose perpendicular width is at least
/// cutoff / divisions give a reach of <c>divisions</c>; a periodic cell thinner than the cutoff has one bin and a
/// reach of several images.</para>
/// </summary>
internal sealed class CellBinning
{
    /// <summary>The completed cell (full rank); rows are lattice vectors.</summary>
    public Mat3 Cell { get; private set; }
    public Pbc Pbc { get; private set; }
    public int Count { get; private set; }
    /// <summary>Bins along each axis.</summary>
    public int NA, NB, NC;
    /// <summary>How many bins away a neighbor can lie along each axis.</summary>
    public int ReachA, ReachB, ReachC;
    /// <summary>Bin of each atom (by atom index), as three grid coordinates.</summary>
    public int[] AtomBin = [];
    /// <summary>Atoms of linear bin b (a + NA·(b + NB·c)) are <c>Order[BinStart[b]..BinStart[b+1]]</c>.</summary>
    public int[] BinStart = [];
    /// <summary>Atom indices in bin order.</summary>
    public int[] Order = [];
    /// <summary>Wrapped Cartesian positions in bin order.</summary>
    public Vec3[] SortedPositions = [];
    /// <summary>The same as three coordinate arrays for vectorized distance tests, padded with NaN (never a pair)
    /// by <see cref="Padding"/> entries so that a vector load may run past the last atom.</summary>
    public double[] SortedX = [], SortedY = [], SortedZ = [];
    /// <summary>Atom indices in bin order, padded with −1.</summary>
    public int[] PaddedOrder = [];
    public const int Padding = 8;
    /// <summary>Wrapped Cartesian positions by atom index.</summary>
    public Vec3[] WrappedPositions = [];
    /// <summary>Lattice translation n removed by wrapping (r_wrapped = r − n·cell), three ints per atom, in bin order.</summary>
    public int[] SortedImageOffsets = [];
    /// <summary>The same by atom index.</summary>
    public int[] ImageOffsets = [];

    private const double Margin = 1e-9;

    // Scratch of the binning pass, kept for a rebuild.
    private Vec3[] _fractional = [];
    private int[] _linear = [], _fill = [];

    /// <param name="reuse">An earlier binning to redo in place: its arrays are kept when their sizes still fit (a
    /// Verlet list's rebuilds of the same atoms then allocate nothing here).</param>
    public static CellBinning Create(Structure s, double cutoff, int divisions, CellBinning? reuse = null)
    {
        var b = reuse ?? new CellBinning();
        b.Bin(s, cutoff, divisions);
        return b;
    }

    /// <summary>An array of exactly <paramref name="length"/> elements: the given one when it has that length (its
    /// contents kept: every element is rewritten, or cleared with <paramref name="clear"/>), a new one otherwise.</summary>
    private static T[] Exactly<T>(T[] array, int length, bool clear = false)
    {
        if (array.Length != length) return new T[length];
        if (clear) Array.Clear(array);
        return array;
    }

    private void Bin(Structure s, double cutoff, int divisions)
    {
        if (!(cutoff > 0) || !double.IsFinite(cutoff)) throw new ArgumentOutOfRangeException(nameof(cutoff), "The cutoff must be positive and finite.");
        int n = s.Count;
        Count = n;
        Pbc = s.Pbc;
        var cell = CellCompletion.Complete(s.Cell.Matrix, s.Pbc);
        Cell = cell;
        var inverse = cell.Inverse();
        // Perpendicular width along k: 1 / |b_k|, b_k = column k of the inverse (row k of the reciprocal cell).
        Span<double> width = stackalloc double[3];
        for (int k = 0; k < 3; k++) width[k] = 1.0 / inverse.Column(k).Length;

        var positions = s.Positions;
        var fractional = _fractional = Exactly(_fractional, n);
        ImageOffsets = Exactly(ImageOffsets, 3 * n);
        WrappedPositions = Exactly(WrappedPositions, n);
        Span<double> lo = stackalloc double[3], hi = stackalloc double[3];
        lo.Fill(double.PositiveInfinity); hi.Fill(double.NegativeInfinity);
        bool pa = s.Pbc.A, pb = s.Pbc.B, pc = s.Pbc.C;
        for (int i = 0; i < n; i++)
        {
            var r = positions[i];
            var f = r * inverse;
            if (!f.IsFinite) throw new ArgumentException($"The position of atom {i} is not finite.");
            int na = 0, nb = 0, nc = 0;
            if (pa) f.X = Wrap(f.X, out na);
            if (pb) f.Y = Wrap(f.Y, out nb);
            if (pc) f.Z = Wrap(f.Z, out nc);
            fractional[i] = f;
            ImageOffsets[3 * i] = na; ImageOffsets[3 * i + 1] = nb; ImageOffsets[3 * i + 2] = nc;
            // Subtracting the exact lattice translation leaves unwrapped atoms bit-for-bit where they were.
            WrappedPositions[i] = (na | nb | nc) == 0 ? r : r - new Vec3(na, nb, nc) * cell;
            for (int k = 0; k < 3; k++) { lo[k] = Math.Min(lo[k], f[k]); hi[k] = Math.Max(hi[k], f[k]); }
        }

        // Grid: bins at least cutoff/divisions wide (perpendicular), one bin when the extent is thinner.
        Span<int> bins = stackalloc int[3];
        Span<double> origin = stackalloc double[3], extent = stackalloc double[3];
        double binWidth = cutoff / divisions;
        for (int k = 0; k < 3; k++)
        {
            bool periodic = s.Pbc[k];
            origin[k] = periodic || n == 0 ? 0 : lo[k];
            extent[k] = periodic ? 1 : n == 0 ? 0 : hi[k] - lo[k];
            double across = extent[k] * width[k] / (binWidth * (1 + Margin));
            bins[k] = (int)Math.Clamp(Math.Floor(across), 1, 1 << 20);
        }
        // Bound the number of bins by the number of atoms: memory and the sweep over empty bins stay O(N).
        long maxBins = 2L * n + 64;
        while ((long)bins[0] * bins[1] * bins[2] > maxBins)
        {
            int widest = bins[0] >= bins[1] && bins[0] >= bins[2] ? 0 : bins[1] >= bins[2] ? 1 : 2;
            bins[widest] = Math.Max(1, bins[widest] / 2);
        }
        NA = bins[0]; NB = bins[1]; NC = bins[2];

        Span<int> reach = stackalloc int[3];
        Span<double> inverseBin = stackalloc double[3];
        for (int k = 0; k < 3; k++)
        {
            double h = extent[k] / bins[k];
            inverseBin[k] = h > 0 ? 1.0 / h : 0;
            if (h == 0) { reach[k] = 0; continue; }
            // ⌈cutoff/(h w)⌉, one more when the ratio sits within rounding of an integer.
            double ratio = cutoff / (h * width[k]);
            int m = (int)Math.Min(Math.Floor(ratio * (1 + 1e-10)) + 1, 1 << 20);
            reach[k] = s.Pbc[k] ? m : Math.Min(m, bins[k] - 1);
            if (s.Pbc[k] && (reach[k] + bins[k] - 1) / bins[k] > PairBuffer.MaxImage)
                throw new ArgumentException(FormattableString.Invariant($"The cutoff {cutoff} spans more than {PairBuffer.MaxImage} periodic images along axis {k}."));
        }
        ReachA = reach[0]; ReachB = reach[1]; ReachC = reach[2];

        // Counting sort of the atoms by bin.
        AtomBin = Exactly(AtomBin, 3 * n);
        var linear = _linear = Exactly(_linear, n);
        BinStart = Exactly(BinStart, NA * NB * NC + 1, clear: true);
        for (int i = 0; i < n; i++)
        {
            var f = fractional[i];
            int a = BinOf(f.X - origin[0], inverseBin[0], NA);
            int b = BinOf(f.Y - origin[1], inverseBin[1], NB);
            int c = BinOf(f.Z - origin[2], inverseBin[2], NC);
            AtomBin[3 * i] = a; AtomBin[3 * i + 1] = b; AtomBin[3 * i + 2] = c;
            int l = a + NA * (b + NB * c);
            linear[i] = l;
            BinStart[l + 1]++;
        }
        for (int l = 0; l < NA * NB * NC; l++) BinStart[l + 1] += BinStart[l];
        var fill = _fill = Exactly(_fill, NA * NB * NC, clear: true);
        Order = Exactly(Order, n);
        SortedPositions = Exactly(SortedPositions, n);
        SortedImageOffsets = Exactly(SortedImageOffsets, 3 * n);
        SortedX = Exactly(SortedX, n + Padding);
        SortedY = Exactly(SortedY, n + Padding);
        SortedZ = Exactly(SortedZ, n + Padding);
        PaddedOrder = Exactly(PaddedOrder, n + Padding);
        for (int k = n; k < n + Padding; k++) { SortedX[k] = SortedY[k] = SortedZ[k] = double.NaN; PaddedOrder[k] = -1; }
        for (int i = 0; i < n; i++)
        {
            int l = linear[i];
            int slot = BinStart[l] + fill[l]++;
            Order[slot] = i;
            var w = WrappedPositions[i];
            SortedPositions[slot] = w;
            SortedX[slot] = w.X; SortedY[slot] = w.Y; SortedZ[slot] = w.Z;
            PaddedOrder[slot] = i;
            SortedImageOffsets[3 * slot] = ImageOffsets[3 * i];
            SortedImageOffsets[3 * slot + 1] = ImageOffsets[3 * i + 1];
            SortedImageOffsets[3 * slot + 2] = ImageOffsets[3 * i + 2];
        }
    }

    /// <summary>Wraps a fractional coordinate into [0, 1); <paramref name="image"/> is the integer removed.</summary>
    private static double Wrap(double f, out int image)
    {
        double floor = Math.Floor(f);
        if (Math.Abs(floor) > 1e9) throw new ArgumentException("An atom lies more than 10⁹ cells away from the cell.");
        image = (int)floor;
        double w = f - floor;
        // f slightly below an integer can round to w = 1 exactly.
        if (w >= 1.0) { w -= 1.0; image++; }
        return w;
    }

    private static int BinOf(double offset, double inverseBin, int bins)
    {
        int b = (int)(offset * inverseBin);
        return b < 0 ? 0 : b >= bins ? bins - 1 : b;
    }
}
