using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using static MDEngine.ML.Kernels.SimdMath;

namespace MDEngine.ML.Kernels;

/// <summary>
/// C = A·B on the CPU for a constant B [K, N] and row-major A [M, K], C [M, N]: the radial networks' layers (M edge
/// pairs, K and N of 8 to a few thousand). Blocked as in GotoBLAS (Goto &amp; van de Geijn, ACM TOMS 34, 2008): B is
/// packed once into panels of <see cref="PanelVectors"/> vectors of columns, contiguous along K; C is computed in tiles
/// of four rows by one panel whose twelve accumulators stay in registers across a chunk of K, A's rows of a block of
/// <see cref="RowBlock"/> rows staying in L2 while every panel passes over them. The matrix library's kernel reaches
/// about half the FMA peak on these shapes (a small K of 64, or a small N of 64 for the reverse pass); this one
/// more, and writes each element of C once per chunk of K.
/// </summary>
internal sealed unsafe class MatrixProductKernel<T> where T : unmanaged, INumber<T>
{
    private const int PanelVectors = 3;   // 4 rows × 3 vectors = 12 accumulators of the 16 vector registers
    private const int RowBlock = 64;
    private const int DepthChunk = 256;

    /// <summary>Rows of A in one register tile: a caller that splits the rows keeps whole tiles where it can.</summary>
    public const int TileRows = 4;

    private readonly T[] _panels;          // [panels][K][PanelWidth], zero past column N
    private static int PanelWidth => PanelVectors * Vector<T>.Count;

    public int Depth { get; }
    public int Columns { get; }
    private int Panels => (Columns + PanelWidth - 1) / PanelWidth;

    /// <param name="b">B [K, N] row-major.</param>
    public MatrixProductKernel(ReadOnlySpan<T> b, int depth, int columns)
    {
        if (b.Length != (long)depth * columns) throw new ArgumentException($"B has {b.Length} values, not {depth}×{columns}");
        Depth = depth; Columns = columns;
        _panels = new T[(long)Panels * depth * PanelWidth];
        for (int k = 0; k < depth; k++)
            for (int j = 0; j < columns; j++)
                _panels[((long)(j / PanelWidth) * depth + k) * PanelWidth + j % PanelWidth] = b[k * columns + j];
    }

    /// <summary>c [rows, N] = a [rows, K] · B (every entry written).</summary>
    public void Multiply(T* a, T* c, int rows) => Multiply(a, Depth, c, Columns, rows, add: false);

    /// <summary>c (+)= a · B with a's rows <paramref name="lda"/> apart and c's <paramref name="ldc"/> apart (rows of a
    /// larger array); <paramref name="add"/>: add to c rather than overwrite it.</summary>
    public void Multiply(T* a, long lda, T* c, long ldc, int rows, bool add)
    {
        int width = PanelWidth;
        var tile = ArrayPool<T>.Shared.Rent(TileRows * width); // a partial panel's results before the valid columns are copied out
        try
        {
            fixed (T* panels = _panels)
            fixed (T* partial = tile)
                for (int k0 = 0; k0 < Depth; k0 += DepthChunk)
                {
                    int depth = Math.Min(DepthChunk, Depth - k0);
                    // Panels in groups of about 192 KB, which stay in L2 while every row block passes over them (all of
                    // B, 640 KB for a 64 × 1280 float64 layer, would come from L3 once per row block).
                    int group = Math.Max(1, 192 * 1024 / (depth * width * sizeof(T)));
                    for (int p0 = 0; p0 < Panels; p0 += group)
                    for (int i0 = 0; i0 < rows; i0 += RowBlock)
                    {
                        int blockRows = Math.Min(RowBlock, rows - i0);
                        for (int p = p0; p < Math.Min(Panels, p0 + group); p++)
                        {
                            T* panel = panels + ((long)p * Depth + k0) * width;
                            int j0 = p * width, valid = Math.Min(width, Columns - j0);
                            for (int i = i0; i < i0 + blockRows; i += TileRows)
                            {
                                int tileRows = Math.Min(TileRows, i0 + blockRows - i);
                                T* aTile = a + i * lda + k0;
                                bool whole = valid == width, accumulate = add || k0 > 0;
                                T* cTile = whole ? c + i * ldc + j0 : partial;
                                long cStride = whole ? ldc : width;
                                if (!whole && accumulate) CopyTile(c + i * ldc + j0, ldc, partial, width, tileRows, valid);
                                switch (tileRows)
                                {
                                    case 4: Tile<Four>(aTile, lda, panel, depth, cTile, cStride, accumulate); break;
                                    case 3: Tile<Three>(aTile, lda, panel, depth, cTile, cStride, accumulate); break;
                                    case 2: Tile<Two>(aTile, lda, panel, depth, cTile, cStride, accumulate); break;
                                    default: Tile<One>(aTile, lda, panel, depth, cTile, cStride, accumulate); break;
                                }
                                if (!whole) CopyTile(partial, width, c + i * ldc + j0, ldc, tileRows, valid);
                            }
                        }
                    }
                }
        }
        finally { ArrayPool<T>.Shared.Return(tile); }
    }

    private static void CopyTile(T* source, long sourceStride, T* target, long targetStride, int rows, int columns)
    {
        for (int r = 0; r < rows; r++)
            new ReadOnlySpan<T>(source + (long)r * sourceStride, columns).CopyTo(new Span<T>(target + (long)r * targetStride, columns));
    }

    /// <summary>
    /// R.Value (1–4) rows of C for one panel: c[r, :] (+)= Σ_k a[r, k] · panel[k, :] over <paramref name="depth"/>
    /// values of k; <paramref name="accumulate"/>: add to c (a later chunk of K) rather than overwrite it.
    /// a's rows are <paramref name="lda"/> apart, c's <paramref name="cStride"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private static void Tile<R>(T* a, long lda, T* panel, int depth, T* c, long cStride, bool accumulate) where R : struct, IConstant
    {
        int v = Vector<T>.Count, width = PanelWidth;
        Vector<T> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default,
            c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        T* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (int k = 0; k < depth; k++, panel += width)
        {
            var b0 = Vector.Load(panel); var b1 = Vector.Load(panel + v); var b2 = Vector.Load(panel + 2 * v);
            var x = new Vector<T>(a0[k]);
            c00 = MultiplyAdd(x, b0, c00); c01 = MultiplyAdd(x, b1, c01); c02 = MultiplyAdd(x, b2, c02);
            if (R.Value > 1) { x = new Vector<T>(a1[k]); c10 = MultiplyAdd(x, b0, c10); c11 = MultiplyAdd(x, b1, c11); c12 = MultiplyAdd(x, b2, c12); }
            if (R.Value > 2) { x = new Vector<T>(a2[k]); c20 = MultiplyAdd(x, b0, c20); c21 = MultiplyAdd(x, b1, c21); c22 = MultiplyAdd(x, b2, c22); }
            if (R.Value > 3) { x = new Vector<T>(a3[k]); c30 = MultiplyAdd(x, b0, c30); c31 = MultiplyAdd(x, b1, c31); c32 = MultiplyAdd(x, b2, c32); }
        }
        StoreRow(c, v, accumulate, c00, c01, c02);
        if (R.Value > 1) StoreRow(c + cStride, v, accumulate, c10, c11, c12);
        if (R.Value > 2) StoreRow(c + 2L * cStride, v, accumulate, c20, c21, c22);
        if (R.Value > 3) StoreRow(c + 3L * cStride, v, accumulate, c30, c31, c32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* c, int v, bool accumulate, Vector<T> x0, Vector<T> x1, Vector<T> x2)
    {
        if (accumulate) { x0 += Vector.Load(c); x1 += Vector.Load(c + v); x2 += Vector.Load(c + 2 * v); }
        x0.Store(c); x1.Store(c + v); x2.Store(c + 2 * v);
    }
}
