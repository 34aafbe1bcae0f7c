using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;

using MDEngine.ML.E3nn;
using MDEngine.ML.Graphs;

namespace MDEngine.ML.Kernels;

/// <summary>One path of the convolution as the kernel sees it (see <see cref="UvuConvolutionKernel{T}"/>).</summary>
/// <param name="Row">first row of the path's input irrep in the channels-last node features</param>
/// <param name="D1">its dimension 2l1+1</param>
/// <param name="ShColumn">first spherical-harmonic column of the path</param>
/// <param name="D2">2l2+1</param>
/// <param name="Column">first output row (channels-last) of the path</param>
/// <param name="D3">2l3+1</param>
/// <param name="Coupling">α·C[a,b,m], [D1, D2, D3] row-major</param>
internal sealed record UvuKernelPath(int Row, int D1, int ShColumn, int D2, int Column, int D3, double[] Coupling);

/// <summary>
/// The uvu convolution fused with the sum over neighbours, on the CPU, forward and reverse, without per-edge
/// channel tensors: for every receiver r and each edge e = s → r into it,
/// y[r, col_p + m, u] += w[e, p, u] · Σ_a S_e[p, a, m] · x[s, row_p + a, u],   S_e[p, a, m] = Σ_b α_p C_p[a, b, m] Y_b(e),
/// with the coupling S_e evaluated once per edge from the non-zero 3j entries. Node features x [N, rows, U] and
/// messages y [N, cols, U] are channels last, so that the channel loop is a contiguous SIMD loop; radial weights
/// w [E, paths, U] are the radial network's output as it is laid out. Receivers are split into contiguous ranges,
/// one per thread: each thread owns its receivers' rows of y, so the forward pass needs no atomics; in the
/// reverse pass the gradient of x (a sum over each sender's outgoing edges) goes to one buffer per thread, added
/// in a fixed order at the end.
/// </summary>
internal sealed unsafe class UvuConvolutionKernel<T> where T : unmanaged, INumber<T>
{
    private readonly struct PathInfo
    {
        public required int Row { get; init; }
        public required int D1 { get; init; }
        public required int Column { get; init; }
        public required int D3 { get; init; }
        public required int PairStart { get; init; }  // first entry of S_e[p, ·, ·] in the per-edge coupling vector
    }

    private readonly PathInfo[] _paths;
    private readonly int[] _termPair, _termSh; // non-zero 3j entries: S[pair] += coefficient · Y[sh]
    private readonly T[] _termCoefficient;
    private readonly int _maxD3;

    public int Channels { get; }
    public int Rows { get; }
    public int Columns { get; }
    public int ShDim { get; }
    public int PathCount => _paths.Length;
    public int Pairs { get; }

    public UvuConvolutionKernel(int channels, int rows, int columns, int shDim, IReadOnlyList<UvuKernelPath> paths)
    {
        Channels = channels; Rows = rows; Columns = columns; ShDim = shDim;
        _paths = new PathInfo[paths.Count];
        var pair = new List<int>(); var sh = new List<int>(); var coefficient = new List<T>();
        int pairs = 0;
        for (int p = 0; p < paths.Count; p++)
        {
            var q = paths[p];
            _paths[p] = new PathInfo { Row = q.Row, D1 = q.D1, Column = q.Column, D3 = q.D3, PairStart = pairs };
            for (int a = 0; a < q.D1; a++)
                for (int b = 0; b < q.D2; b++)
                    for (int m = 0; m < q.D3; m++)
                    {
                        double c = q.Coupling[(a * q.D2 + b) * q.D3 + m];
                        if (c == 0) continue;
                        pair.Add(pairs + a * q.D3 + m); sh.Add(q.ShColumn + b); coefficient.Add(T.CreateChecked(c));
                    }
            pairs += q.D1 * q.D3;
        }
        Pairs = pairs;
        _termPair = pair.ToArray(); _termSh = sh.ToArray(); _termCoefficient = coefficient.ToArray();
        _maxD3 = paths.Count == 0 ? 1 : paths.Max(p => p.D3);
    }

    /// <summary>S_e: the per-edge coupling of every (path, a, m) from the edge's spherical harmonics.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void Couple(T* sh, Span<T> s)
    {
        s.Clear();
        for (int t = 0; t < _termPair.Length; t++) s[_termPair[t]] += _termCoefficient[t] * sh[_termSh[t]];
    }

    /// <summary>
    /// y [nodes, Columns, U] (zeroed) ← Σ over each receiver's edges. x [nodes, Rows, U], sh [E, ShDim],
    /// w [E, paths, U], or with <paramref name="pairedWeights"/> [pairs, paths, U], one row per edge and its reverse
    /// (<see cref="EdgeLayout.EdgePair"/>).
    /// </summary>
    public void Forward(T* x, T* sh, T* w, T* y, EdgeLayout graph, int threads, bool pairedWeights = false)
    {
        var ranges = graph.ReceiverRanges(threads);
        var weightRow = pairedWeights ? graph.EdgePair ?? throw new ArgumentException("the graph has no edge pairs") : null;
        nint px = (nint)x, psh = (nint)sh, pw = (nint)w, py = (nint)y;
        CpuParallel.For(ranges.Length, k => ForwardRange((T*)px, (T*)psh, (T*)pw, (T*)py, graph, weightRow, ranges[k].Start, ranges[k].End));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void ForwardRange(T* x, T* sh, T* w, T* y, EdgeLayout graph, int[]? weightRow, int first, int end)
    {
        int u = Channels, vector = Vector<T>.Count, vectorEnd = u - u % vector;
        Span<T> s = Pairs <= 512 ? stackalloc T[Pairs] : new T[Pairs];
        var offsets = graph.ReceiverOffsets; var edges = graph.EdgesByReceiver; var senders = graph.SenderIndex;
        for (int r = first; r < end; r++)
        {
            T* yr = y + (long)r * Columns * u;
            for (int i = offsets[r]; i < offsets[r + 1]; i++)
            {
                int e = edges[i], sender = senders[e], row = weightRow is null ? e : weightRow[e];
                Couple(sh + (long)e * ShDim, s);
                for (int p = 0; p < _paths.Length; p++)
                {
                    var path = _paths[p];
                    T* wr = w + ((long)row * _paths.Length + p) * u;
                    if (path.D1 == 3)
                    {
                        // A vector input: the three products w·x_a stay in registers and each output row is
                        // loaded and stored once per channel block.
                        T* x0 = x + ((long)sender * Rows + path.Row) * u, x1 = x0 + u, x2 = x1 + u;
                        T* y0 = yr + (long)path.Column * u;
                        int d3 = path.D3;
                        fixed (T* sp = s)
                        {
                            T* s0 = sp + path.PairStart, s1 = s0 + d3, s2 = s1 + d3;
                            for (int j = 0; j < vectorEnd; j += vector)
                            {
                                var wv = Vector.Load(wr + j);
                                var t0 = wv * Vector.Load(x0 + j);
                                var t1 = wv * Vector.Load(x1 + j);
                                var t2 = wv * Vector.Load(x2 + j);
                                for (int m = 0; m < d3; m++)
                                {
                                    T* target = y0 + (long)m * u + j;
                                    (Vector.Load(target) + t0 * s0[m] + t1 * s1[m] + t2 * s2[m]).Store(target);
                                }
                            }
                            for (int j = vectorEnd; j < u; j++)
                            {
                                T t0 = wr[j] * x0[j], t1 = wr[j] * x1[j], t2 = wr[j] * x2[j];
                                for (int m = 0; m < d3; m++) y0[(long)m * u + j] += t0 * s0[m] + t1 * s1[m] + t2 * s2[m];
                            }
                        }
                        continue;
                    }
                    for (int a = 0; a < path.D1; a++)
                    {
                        T* xr = x + ((long)sender * Rows + path.Row + a) * u;
                        int k0 = path.PairStart + a * path.D3;
                        T* y0 = yr + (long)path.Column * u;
                        for (int j = 0; j < vectorEnd; j += vector)
                        {
                            var t = Vector.Load(wr + j) * Vector.Load(xr + j);
                            for (int m = 0; m < path.D3; m++)
                            {
                                T* target = y0 + (long)m * u + j;
                                (Vector.Load(target) + t * s[k0 + m]).Store(target);
                            }
                        }
                        for (int j = vectorEnd; j < u; j++)
                        {
                            T t = wr[j] * xr[j];
                            for (int m = 0; m < path.D3; m++) y0[(long)m * u + j] += t * s[k0 + m];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Reverse pass: given gy = ∂L/∂y [nodes, Columns, U], writes gx [nodes, Rows, U] (zeroed on entry),
    /// gsh [E, ShDim] and gw [E, paths, U]:
    /// h[u] = Σ_m S[p,a,m] gy[r, col_p+m, u];  gw[e,p,u] = Σ_a h·x[s,row_p+a,u];  gx[s,row_p+a,u] += h·w[e,p,u];
    /// ∂L/∂S[p,a,m] = Σ_u w[e,p,u] x[s,row_p+a,u] gy[r,col_p+m,u], and gsh[e,b] = Σ α C[a,b,m] ∂L/∂S[p,a,m].
    /// </summary>
    /// <remarks>With <paramref name="pairedWeights"/>, gw is per pair: the two edges' gradients are summed.</remarks>
    public void Backward(T* x, T* sh, T* w, T* gy, T* gx, T* gsh, T* gw, EdgeLayout graph, int threads, bool pairedWeights = false)
    {
        var ranges = graph.ReceiverRanges(threads);
        var weightRow = pairedWeights ? graph.EdgePair ?? throw new ArgumentException("the graph has no edge pairs") : null;
        long nodeSize = graph.Nodes * Rows * Channels;
        long rowSize = (long)_paths.Length * Channels;
        var buffers = new nint[ranges.Length];
        buffers[0] = (nint)gx;
        for (int k = 1; k < ranges.Length; k++) buffers[k] = (nint)NativeMemory.AllocZeroed((nuint)(nodeSize * sizeof(T)));
        // Per-edge weight gradients first when two edges share a row (they may belong to different threads).
        T* gwEdges = weightRow is null ? gw : (T*)NativeMemory.Alloc((nuint)(graph.Edges * rowSize * sizeof(T)));
        try
        {
            nint px = (nint)x, psh = (nint)sh, pw = (nint)w, pgy = (nint)gy, pgsh = (nint)gsh, pgw = (nint)gwEdges;
            CpuParallel.For(ranges.Length, k => BackwardRange((T*)px, (T*)psh, (T*)pw, (T*)pgy, (T*)buffers[k], (T*)pgsh, (T*)pgw, graph, weightRow, ranges[k].Start, ranges[k].End));
            if (weightRow is not null)
            {
                var pairEdges = graph.PairEdges!;
                int pairs = pairEdges.Length / 2;
                nint pgwPairs = (nint)gw;
                CpuParallel.For(Math.Max(1, Math.Min(threads, pairs)), k =>
                {
                    int count = Math.Max(1, Math.Min(threads, pairs));
                    for (long q = (long)pairs * k / count; q < (long)pairs * (k + 1) / count; q++)
                        Sum((T*)pgw + pairEdges[2 * q] * rowSize, (T*)pgw + pairEdges[2 * q + 1] * rowSize, (T*)pgwPairs + q * rowSize, rowSize);
                });
            }
            for (int k = 1; k < ranges.Length; k++)
            {
                var target = new Span<T>(gx, checked((int)nodeSize));
                var source = new ReadOnlySpan<T>((T*)buffers[k], checked((int)nodeSize));
                for (int i = 0; i < target.Length; i++) target[i] += source[i];
            }
        }
        finally
        {
            for (int k = 1; k < buffers.Length; k++) NativeMemory.Free((void*)buffers[k]);
            if (weightRow is not null) NativeMemory.Free(gwEdges);
        }
    }

    private static void Sum(T* a, T* b, T* target, long count)
    {
        int vector = Vector<T>.Count;
        long vectorEnd = count - count % vector;
        for (long j = 0; j < vectorEnd; j += vector) (Vector.Load(a + j) + Vector.Load(b + j)).Store(target + j);
        for (long j = vectorEnd; j < count; j++) target[j] = a[j] + b[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void BackwardRange(T* x, T* sh, T* w, T* gy, T* gx, T* gsh, T* gw, EdgeLayout graph, int[]? weightRow, int first, int end)
    {
        int u = Channels, vector = Vector<T>.Count, vectorEnd = u - u % vector;
        Span<T> s = Pairs <= 512 ? stackalloc T[Pairs] : new T[Pairs];
        Span<T> ds = Pairs <= 512 ? stackalloc T[Pairs] : new T[Pairs];
        Span<Vector<T>> accumulator = stackalloc Vector<T>[3 * _maxD3];
        Span<T> scalarAccumulator = stackalloc T[3 * _maxD3];
        var offsets = graph.ReceiverOffsets; var edges = graph.EdgesByReceiver; var senders = graph.SenderIndex;
        for (int r = first; r < end; r++)
        {
            T* gyr = gy + (long)r * Columns * u;
            for (int i = offsets[r]; i < offsets[r + 1]; i++)
            {
                int e = edges[i], sender = senders[e], row = weightRow is null ? e : weightRow[e];
                Couple(sh + (long)e * ShDim, s);
                for (int p = 0; p < _paths.Length; p++)
                {
                    var path = _paths[p];
                    T* wr = w + ((long)row * _paths.Length + p) * u;
                    T* gwr = gw + ((long)e * _paths.Length + p) * u;
                    T* g0 = gyr + (long)path.Column * u;
                    if (path.D1 == 3)
                    {
                        // A vector input: each gradient row is loaded once per channel block for all three a.
                        int d3 = path.D3;
                        T* x0 = x + ((long)sender * Rows + path.Row) * u, x1 = x0 + u, x2 = x1 + u;
                        T* gx0 = gx + ((long)sender * Rows + path.Row) * u, gx1 = gx0 + u, gx2 = gx1 + u;
                        accumulator[..(3 * d3)].Clear();
                        scalarAccumulator[..(3 * d3)].Clear();
                        fixed (T* sp = s)
                        fixed (Vector<T>* acc = accumulator)
                        fixed (T* scalarAcc = scalarAccumulator)
                        {
                            T* s0 = sp + path.PairStart, s1 = s0 + d3, s2 = s1 + d3;
                            for (int j = 0; j < vectorEnd; j += vector)
                            {
                                var wv = Vector.Load(wr + j);
                                var xv0 = Vector.Load(x0 + j); var xv1 = Vector.Load(x1 + j); var xv2 = Vector.Load(x2 + j);
                                var t0 = wv * xv0; var t1 = wv * xv1; var t2 = wv * xv2;
                                var h0 = Vector<T>.Zero; var h1 = Vector<T>.Zero; var h2 = Vector<T>.Zero;
                                for (int m = 0; m < d3; m++)
                                {
                                    var g = Vector.Load(g0 + (long)m * u + j);
                                    h0 += g * s0[m]; h1 += g * s1[m]; h2 += g * s2[m];
                                    acc[m] += t0 * g; acc[d3 + m] += t1 * g; acc[2 * d3 + m] += t2 * g;
                                }
                                (h0 * xv0 + h1 * xv1 + h2 * xv2).Store(gwr + j);
                                (Vector.Load(gx0 + j) + h0 * wv).Store(gx0 + j);
                                (Vector.Load(gx1 + j) + h1 * wv).Store(gx1 + j);
                                (Vector.Load(gx2 + j) + h2 * wv).Store(gx2 + j);
                            }
                            for (int j = vectorEnd; j < u; j++)
                            {
                                T t0 = wr[j] * x0[j], t1 = wr[j] * x1[j], t2 = wr[j] * x2[j];
                                T h0 = T.Zero, h1 = T.Zero, h2 = T.Zero;
                                for (int m = 0; m < d3; m++)
                                {
                                    T g = g0[(long)m * u + j];
                                    h0 += g * s0[m]; h1 += g * s1[m]; h2 += g * s2[m];
                                    scalarAcc[m] += t0 * g; scalarAcc[d3 + m] += t1 * g; scalarAcc[2 * d3 + m] += t2 * g;
                                }
                                gwr[j] = h0 * x0[j] + h1 * x1[j] + h2 * x2[j];
                                gx0[j] += h0 * wr[j]; gx1[j] += h1 * wr[j]; gx2[j] += h2 * wr[j];
                            }
                            for (int k = 0; k < 3 * d3; k++) ds[path.PairStart + k] = Vector.Sum(acc[k]) + scalarAcc[k];
                        }
                        continue;
                    }
                    if (path.D1 == 1)
                    {
                        // A scalar input: h = Σ_m S[m] g_m, one store of the weight gradient per channel block.
                        int d3 = path.D3;
                        T* x0 = x + ((long)sender * Rows + path.Row) * u;
                        T* gx0 = gx + ((long)sender * Rows + path.Row) * u;
                        accumulator[..d3].Clear();
                        scalarAccumulator[..d3].Clear();
                        fixed (T* sp = s)
                        fixed (Vector<T>* acc = accumulator)
                        fixed (T* scalarAcc = scalarAccumulator)
                        {
                            T* s0 = sp + path.PairStart;
                            for (int j = 0; j < vectorEnd; j += vector)
                            {
                                var wv = Vector.Load(wr + j);
                                var xv = Vector.Load(x0 + j);
                                var t = wv * xv;
                                var h = Vector<T>.Zero;
                                for (int m = 0; m < d3; m++)
                                {
                                    var g = Vector.Load(g0 + (long)m * u + j);
                                    h += g * s0[m];
                                    acc[m] += t * g;
                                }
                                (h * xv).Store(gwr + j);
                                (Vector.Load(gx0 + j) + h * wv).Store(gx0 + j);
                            }
                            for (int j = vectorEnd; j < u; j++)
                            {
                                T t = wr[j] * x0[j], h = T.Zero;
                                for (int m = 0; m < d3; m++)
                                {
                                    T g = g0[(long)m * u + j];
                                    h += g * s0[m];
                                    scalarAcc[m] += t * g;
                                }
                                gwr[j] = h * x0[j];
                                gx0[j] += h * wr[j];
                            }
                            for (int m = 0; m < d3; m++) ds[path.PairStart + m] = Vector.Sum(acc[m]) + scalarAcc[m];
                        }
                        continue;
                    }
                    for (int a = 0; a < path.D1; a++)
                    {
                        T* xr = x + ((long)sender * Rows + path.Row + a) * u;
                        T* gxr = gx + ((long)sender * Rows + path.Row + a) * u;
                        int k0 = path.PairStart + a * path.D3;
                        accumulator[..path.D3].Clear();
                        scalarAccumulator[..path.D3].Clear();
                        for (int j = 0; j < vectorEnd; j += vector)
                        {
                            var wv = Vector.Load(wr + j);
                            var xv = Vector.Load(xr + j);
                            var t = wv * xv;
                            var h = Vector<T>.Zero;
                            for (int m = 0; m < path.D3; m++)
                            {
                                var g = Vector.Load(g0 + (long)m * u + j);
                                h += g * s[k0 + m];
                                accumulator[m] += t * g;
                            }
                            (a == 0 ? h * xv : Vector.Load(gwr + j) + h * xv).Store(gwr + j);
                            (Vector.Load(gxr + j) + h * wv).Store(gxr + j);
                        }
                        for (int j = vectorEnd; j < u; j++)
                        {
                            T t = wr[j] * xr[j], h = T.Zero;
                            for (int m = 0; m < path.D3; m++)
                            {
                                T g = g0[(long)m * u + j];
                                h += g * s[k0 + m];
                                scalarAccumulator[m] += t * g;
                            }
                            gwr[j] = a == 0 ? h * xr[j] : gwr[j] + h * xr[j];
                            gxr[j] += h * wr[j];
                        }
                        for (int m = 0; m < path.D3; m++) ds[k0 + m] = Vector.Sum(accumulator[m]) + scalarAccumulator[m];
                    }
                }
                T* gshe = gsh + (long)e * ShDim;
                for (int b = 0; b < ShDim; b++) gshe[b] = T.Zero;
                for (int t = 0; t < _termPair.Length; t++) gshe[_termSh[t]] += _termCoefficient[t] * ds[_termPair[t]];
            }
        }
    }
}
