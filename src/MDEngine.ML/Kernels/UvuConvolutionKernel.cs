using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using static MDEngine.ML.Kernels.SimdMath;

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
/// <para>
/// The inner loops keep their sums in registers, one SIMD vector of channels per output row: the forward pass sums
/// a receiver's output rows over a group of its edges before writing them (<see cref="ForwardRows{TInputs, TRows}"/>),
/// and the reverse pass sums ∂L/∂S over the channels of one edge and path (<see cref="BackwardRows{TRows}"/>). Blocks
/// of 1, 3, 5 or 7 rows (the 2l+1 components of an irrep up to l = 3; larger ones are split) and of 1 or 3 input
/// rows are type parameters, constants for the JIT, so that one method serves every block without tests in its loops.
/// </para>
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
    private readonly SparseRows _coupling;         // S_e = coupling · Y(e), from the non-zero 3j entries
    private readonly SparseRows _couplingTranspose; // ∂L/∂Y(e) = couplingᵀ · ∂L/∂S_e

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
        var terms = new List<(int Pair, int Sh, T Coefficient)>();
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
                        if (c != 0) terms.Add((pairs + a * q.D3 + m, q.ShColumn + b, T.CreateChecked(c)));
                    }
            pairs += q.D1 * q.D3;
        }
        Pairs = pairs;
        _coupling = new SparseRows(pairs, terms.Select(t => (t.Pair, t.Sh, t.Coefficient)));
        _couplingTranspose = new SparseRows(shDim, terms.Select(t => (t.Sh, t.Pair, t.Coefficient)));
    }

    /// <summary>
    /// y [nodes, Columns, U] ← Σ over each receiver's edges (every entry written). x [nodes, Rows, U], sh [E, ShDim],
    /// w [E, paths, U], or with <paramref name="pairedWeights"/> [pairs, paths, U], one row per edge and its reverse
    /// (<see cref="EdgeLayout.EdgePair"/>).
    /// </summary>
    /// <remarks>Each receiver's row is its own sum: the receivers go in chunks the threads claim as they go.</remarks>
    public void Forward(T* x, T* sh, T* w, T* y, EdgeLayout graph, int threads, bool pairedWeights = false)
    {
        var weightRow = pairedWeights ? graph.EdgePair ?? throw new ArgumentException("the graph has no edge pairs") : null;
        nint px = (nint)x, psh = (nint)sh, pw = (nint)w, py = (nint)y;
        int nodes = (int)graph.Nodes;
        CpuParallel.ForChunks(nodes, threads, 1, () => new ReceiverScratch(this, graph),
            (scratch, first, end) => ForwardRange(scratch, (T*)px, (T*)psh, (T*)pw, (T*)py, graph, weightRow, first, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void ForwardRange(ReceiverScratch scratch, T* x, T* sh, T* w, T* y, EdgeLayout graph, int[]? weightRow, int first, int end)
    {
        for (int r = first; r < end; r++)
        {
            int degree = scratch.Prepare(r, x, null, sh, w, graph, weightRow);
            T* yr = y + (long)r * Columns * Channels;
            if (degree == 0) new Span<T>(yr, Columns * Channels).Clear(); // no edge, no message
            for (int g0 = 0; g0 < degree; g0 += EdgeGroup)
                ForwardEdges(scratch.Edges + g0, Math.Min(EdgeGroup, degree - g0), yr, accumulate: g0 > 0);
        }
    }

    /// <summary>Edges summed in registers before the output rows are updated: a receiver's edges go in groups, so
    /// that a group's weight rows are read in order across the paths (a few streams, not one per edge).</summary>
    private const int EdgeGroup = 8;

    /// <summary>Every output row of one receiver, yr [Columns, U], from a group of its edges, block by block.</summary>
    private void ForwardEdges(EdgeRows* edges, int count, T* yr, bool accumulate)
    {
        int u = Channels;
        for (int p = 0; p < _paths.Length; p++)
        {
            var path = _paths[p];
            for (int m0 = 0, n; m0 < path.D3; m0 += n)
            {
                n = RowBlock(path.D3 - m0);
                // Input rows three at a time (a vector input in one pass), then one at a time.
                for (int a0 = 0, c; a0 < path.D1; a0 += c)
                {
                    c = path.D1 - a0 >= 3 ? 3 : 1;
                    var block = new ForwardBlock(edges, count, (long)p * u, (long)(path.Row + a0) * u, path.PairStart + a0 * path.D3 + m0,
                        path.D3, yr + (long)(path.Column + m0) * u, u, accumulate || a0 > 0);
                    if (c == 3) ForwardRows<Three>(block, n); else ForwardRows<One>(block, n);
                }
            }
        }
    }

    /// <summary>At most 7 rows at a time, and an odd number of them (the accumulators go in pairs after the first):
    /// the 2l+1 rows of an irrep up to l = 3 are one block.</summary>
    private static int RowBlock(int rows) => rows >= 7 ? 7 : rows - 1 + (rows & 1);

    /// <summary>One block of <see cref="ForwardRows{TInputs, TRows}"/>: a group of the receiver's edges, the offsets
    /// of the path's weight row, of its input rows a0.. and of S_e[a0, m0] within an edge's data, and the receiver's
    /// output row m0.</summary>
    private readonly struct ForwardBlock(EdgeRows* edges, int degree, long weightOffset, long inputOffset,
        int couplingOffset, int d3, T* y, int u, bool accumulate)
    {
        public readonly EdgeRows* Edges = edges;
        public readonly int Degree = degree, CouplingOffset = couplingOffset, D3 = d3, U = u;
        public readonly long WeightOffset = weightOffset, InputOffset = inputOffset;
        public readonly T* Y = y;
        public readonly bool Accumulate = accumulate; // add to y (a later group of edges or input rows), not store
    }

    private static void ForwardRows<TInputs>(in ForwardBlock block, int n) where TInputs : struct, IConstant
    {
        switch (n)
        {
            case 1: ForwardRows<TInputs, One>(block); break;
            case 3: ForwardRows<TInputs, Three>(block); break;
            case 5: ForwardRows<TInputs, Five>(block); break;
            default: ForwardRows<TInputs, Seven>(block); break;
        }
    }

    /// <summary>
    /// Output rows m0 .. m0+n (n = TRows) of one receiver and path from input rows a0 .. a0+c (c = TInputs),
    /// summed over a group of the receiver's edges: y[m, j] (+)= Σ_e Σ_a t_a S_e[a0+a, m0+m] with
    /// t_a = w_e[j] x_{s(e)}[a0+a, j]. The n sums of one channel vector are locals, which the JIT keeps in registers
    /// across the edges, so each output row is written once per channel vector and group instead of once per edge.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRows<TInputs, TRows>(in ForwardBlock block)
        where TInputs : struct, IConstant where TRows : struct, IConstant
    {
        // The block's fields as locals (registers): through the reference they would be reloaded every edge.
        int u = block.U, d3 = block.D3, c = TInputs.Value, n = TRows.Value;
        int vector = Vector<T>.Count, vectorEnd = u - u % vector;
        EdgeRows* edges = block.Edges, edgesEnd = edges + block.Degree;
        long weightOffset = block.WeightOffset, inputOffset = block.InputOffset, couplingOffset = block.CouplingOffset;
        T* y = block.Y;
        bool add = block.Accumulate;
        for (int j = 0; j < vectorEnd; j += vector)
        {
            Vector<T> y0 = default, y1 = default, y2 = default, y3 = default, y4 = default, y5 = default, y6 = default;
            long wj = weightOffset + j, xj = inputOffset + j;
            for (EdgeRows* edge = edges; edge < edgesEnd; edge++)
            {
                var wv = Vector.Load(edge->W + wj);
                T* xa = edge->X + xj;
                T* s0 = edge->S + couplingOffset, s1 = s0 + d3, s2 = s1 + d3;
                var t0 = wv * Vector.Load(xa);
                var t1 = c > 1 ? wv * Vector.Load(xa + u) : default;
                var t2 = c > 1 ? wv * Vector.Load(xa + 2 * u) : default;
                // Each row's sum over a is formed apart and added to its accumulator once per edge, which keeps the
                // accumulators' dependency chains short.
                y0 += Combine<TInputs>(t0, t1, t2, s0, s1, s2, 0);
                if (n > 1)
                {
                    y1 += Combine<TInputs>(t0, t1, t2, s0, s1, s2, 1); y2 += Combine<TInputs>(t0, t1, t2, s0, s1, s2, 2);
                    if (n > 3)
                    {
                        y3 += Combine<TInputs>(t0, t1, t2, s0, s1, s2, 3); y4 += Combine<TInputs>(t0, t1, t2, s0, s1, s2, 4);
                        if (n > 5)
                        {
                            y5 += Combine<TInputs>(t0, t1, t2, s0, s1, s2, 5); y6 += Combine<TInputs>(t0, t1, t2, s0, s1, s2, 6);
                        }
                    }
                }
            }
            Put(y + j, y0, add);
            if (n > 1)
            {
                Put(y + u + j, y1, add); Put(y + 2 * u + j, y2, add);
                if (n > 3)
                {
                    Put(y + 3 * u + j, y3, add); Put(y + 4 * u + j, y4, add);
                    if (n > 5) { Put(y + 5 * u + j, y5, add); Put(y + 6 * u + j, y6, add); }
                }
            }
        }
        // The channels past the last full vector, one sum per output entry (in the same order as the vectors').
        for (int j = vectorEnd; j < u; j++)
            for (int m = 0; m < n; m++)
            {
                T sum = T.Zero;
                for (EdgeRows* edge = edges; edge < edgesEnd; edge++)
                    for (int a = 0; a < c; a++)
                        sum += edge->W[weightOffset + j] * edge->X[inputOffset + (long)a * u + j] * edge->S[couplingOffset + a * d3 + m];
                T* target = y + (long)m * u + j;
                *target = add ? *target + sum : sum;
            }
    }

    /// <summary>Σ_a t_a s_a[m] over one or three inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Combine<TInputs>(Vector<T> t0, Vector<T> t1, Vector<T> t2, T* s0, T* s1, T* s2, int m)
        where TInputs : struct, IConstant
    {
        var z = t0 * s0[m];
        if (TInputs.Value > 1) z = MultiplyAdd(t2, new Vector<T>(s2[m]), MultiplyAdd(t1, new Vector<T>(s1[m]), z));
        return z;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(T* target, Vector<T> value, bool add) => (add ? value + Vector.Load(target) : value).Store(target);

    /// <summary>
    /// Reverse pass: given gy = ∂L/∂y [nodes, Columns, U], writes gx [nodes, Rows, U] (every entry),
    /// gsh [E, ShDim] and gw [E, paths, U]:
    /// h[u] = Σ_m S[p,a,m] gy[r, col_p+m, u];  gw[e,p,u] = Σ_a h·x[s,row_p+a,u];  gx[s,row_p+a,u] += h·w[e,p,u];
    /// ∂L/∂S[p,a,m] = Σ_u w[e,p,u] x[s,row_p+a,u] gy[r,col_p+m,u], and gsh[e,b] = Σ α C[a,b,m] ∂L/∂S[p,a,m].
    /// </summary>
    /// <remarks>With <paramref name="pairedWeights"/>, gw is per pair: the two edges' gradients are summed.</remarks>
    public void Backward(T* x, T* sh, T* w, T* gy, T* gx, T* gsh, T* gw, EdgeLayout graph, int threads, bool pairedWeights = false)
    {
        var ranges = graph.ReceiverRanges(threads, pairedWeights ? SideRowCost : 0);
        var weightRow = pairedWeights ? graph.EdgePair ?? throw new ArgumentException("the graph has no edge pairs") : null;
        long nodeSize = graph.Nodes * Rows * Channels;
        var buffers = new nint[ranges.Length];
        buffers[0] = (nint)gx;
        for (int k = 1; k < ranges.Length; k++) buffers[k] = (nint)AlignedBuffer.Allocate<T>(nodeSize);
        var plan = graph.Plan((typeof(WeightGradientPlan), ranges.Length, pairedWeights), () => new WeightGradientPlan(graph, ranges, weightRow));
        using var gwRows = new WeightGradientRows(plan, gw, (long)_paths.Length * Channels);
        try
        {
            nint px = (nint)x, psh = (nint)sh, pw = (nint)w, pgy = (nint)gy, pgsh = (nint)gsh;
            CpuParallel.For(ranges.Length, k =>
            {
                new Span<T>((T*)buffers[k], checked((int)nodeSize)).Clear(); // each range's sender gradients, zeroed on its thread
                BackwardRange((T*)px, (T*)psh, (T*)pw, (T*)pgy, (T*)buffers[k], (T*)pgsh, gwRows, graph, weightRow, ranges[k].Start, ranges[k].End);
            });
            gwRows.AddSideRows(threads);
            // The other ranges' sender gradients into gx, in range order (the same sum whatever the timing).
            nint pgx = (nint)gx;
            CpuParallel.ForChunks((int)((nodeSize + SumBlock - 1) / SumBlock), threads, 1, (first, end) =>
            {
                long start = first * SumBlock, length = Math.Min(nodeSize, end * SumBlock) - start;
                for (int k = 1; k < buffers.Length; k++) Sum((T*)pgx + start, (T*)buffers[k] + start, (T*)pgx + start, length);
            });
        }
        finally
        {
            for (int k = 1; k < buffers.Length; k++) AlignedBuffer.Free((void*)buffers[k]);
        }
    }

    /// <summary>What storing an edge's weight gradient in a side row costs over storing it in its pair's row, in edges.
    /// With ranges of equal edge counts the range that stores them took ~5% longer than the other (64-atom MACE, two
    /// threads, whichever thread ran it; some 40% of its edges in side rows), and the other thread waited 0.11–0.19 ms
    /// per evaluation; weighing them 1.06 cut the wait to 0.02 ms and the reverse pass by 0.05 ms (1.12 overshoots).</summary>
    private const double SideRowCost = 0.06;

    /// <summary>Elements of gx a thread sums at a time (a multiple of every vector width).</summary>
    private const long SumBlock = 1 << 13;

    private static void Sum(T* a, T* b, T* target, long count)
    {
        int vector = Vector<T>.Count;
        long vectorEnd = count - count % vector;
        for (long j = 0; j < vectorEnd; j += vector) (Vector.Load(a + j) + Vector.Load(b + j)).Store(target + j);
        for (long j = vectorEnd; j < count; j++) target[j] = a[j] + b[j];
    }

    /// <summary>
    /// Where each edge's weight gradient goes. Without shared rows, to its own row, stored. When an edge and its
    /// reverse share a row (their gradients sum), within one thread's receivers the pair's first edge stores the row
    /// and the second adds to it; a pair split between two threads is stored by the lower range, while the higher
    /// one stores a side row that <see cref="WeightGradientRows.AddSideRows"/> adds once the threads are done.
    /// The plan depends on the graph and the threads' ranges alone: the graph keeps it for every layer.
    /// </summary>
    private sealed class WeightGradientPlan
    {
        /// <summary>Per edge: the row of gw its gradient goes to, or −1 − k for side row k.</summary>
        public readonly int[] Row;
        /// <summary>Per edge: whether it adds to its row (else stores).</summary>
        public readonly bool[] Add;
        /// <summary>Per side row: the row of gw it is added to.</summary>
        public readonly int[] SidePair;

        public WeightGradientPlan(EdgeLayout graph, (int Start, int End)[] ranges, int[]? weightRow)
        {
            int edges = (int)graph.Edges;
            Row = new int[edges]; Add = new bool[edges];
            if (weightRow is null)
            {
                for (int e = 0; e < edges; e++) Row[e] = e;
                SidePair = [];
                return;
            }
            var pairEdges = graph.PairEdges!; var senders = graph.SenderIndex; var byReceiver = graph.EdgesByReceiver;
            var position = new int[edges]; // processing order: receivers in order, and within one its edges in order
            for (int i = 0; i < edges; i++) position[byReceiver[i]] = i;
            var rangeOfNode = graph.RangeOfNode(ranges);
            var sidePair = new List<int>();
            for (int e = 0; e < edges; e++)
            {
                int pair = weightRow[e], partner = pairEdges[2 * pair] == e ? pairEdges[2 * pair + 1] : pairEdges[2 * pair];
                int range = rangeOfNode[senders[partner]], partnerRange = rangeOfNode[senders[e]]; // receiver = the reverse's sender
                if (range > partnerRange) { Row[e] = -1 - sidePair.Count; sidePair.Add(pair); }
                else { Row[e] = pair; Add[e] = range == partnerRange && position[partner] < position[e]; }
            }
            SidePair = sidePair.ToArray();
        }
    }

    /// <summary>The rows of one reverse pass's gw after <see cref="WeightGradientPlan"/>, with its side rows.</summary>
    private sealed class WeightGradientRows : IDisposable
    {
        private readonly WeightGradientPlan _plan;
        private readonly T* _gw, _side;
        private readonly long _rowSize;

        public WeightGradientRows(WeightGradientPlan plan, T* gw, long rowSize)
        {
            _plan = plan; _gw = gw; _rowSize = rowSize;
            int sides = plan.SidePair.Length;
            _side = sides == 0 ? null : AlignedBuffer.Allocate<T>(sides * rowSize);
        }

        /// <summary>The row edge e's weight gradient goes to, and whether to add to it (else store).</summary>
        public T* Target(int e, out bool add)
        {
            add = _plan.Add[e];
            int row = _plan.Row[e];
            return row >= 0 ? _gw + row * _rowSize : _side + (-1 - row) * _rowSize;
        }

        /// <summary>Adds each side row to its pair's row, split over the threads (every pair is a different row; in a
        /// small periodic cell most pairs cross between the threads' receivers, some MB of rows).</summary>
        public void AddSideRows(int threads)
        {
            var sidePair = _plan.SidePair;
            CpuParallel.ForChunks(sidePair.Length, threads, MinimumSideRowsPerChunk, (first, end) =>
            {
                for (int k = first; k < end; k++)
                    Sum(_gw + sidePair[k] * _rowSize, _side + k * _rowSize, _gw + sidePair[k] * _rowSize, _rowSize);
            });
        }

        private const int MinimumSideRowsPerChunk = 16;

        public void Dispose() { if (_side != null) AlignedBuffer.Free(_side); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void BackwardRange(T* x, T* sh, T* w, T* gy, T* gx, T* gsh, WeightGradientRows gwRows, EdgeLayout graph, int[]? weightRow, int first, int end)
    {
        using var scratch = new ReceiverScratch(this, graph);
        for (int r = first; r < end; r++)
        {
            int degree = scratch.Prepare(r, x, gx, sh, w, graph, weightRow);
            T* gyr = gy + (long)r * Columns * Channels;
            // Edge by edge: its weight row is read in order, its sender's rows stay in the cache across the paths.
            for (int i = 0; i < degree; i++)
            {
                var edge = scratch.Edges[i];
                T* gw = gwRows.Target(edge.Edge, out bool addToGw);
                BackwardEdge(edge, gyr, gw, addToGw);
                _couplingTranspose.Multiply(edge.DS, gsh + (long)edge.Edge * ShDim);
            }
        }
    }

    /// <summary>One edge into the receiver whose gradient rows are gyr [Columns, U], block by block: ∂L/∂S_e, its
    /// sender's gx rows, and its weight gradient row gw (added to it, or stored).</summary>
    private void BackwardEdge(in EdgeRows edge, T* gyr, T* gw, bool addToGw)
    {
        int u = Channels;
        for (int p = 0; p < _paths.Length; p++)
        {
            var path = _paths[p];
            for (int a = 0; a < path.D1; a++)
                for (int m0 = 0, n; m0 < path.D3; m0 += n)
                {
                    n = RowBlock(path.D3 - m0);
                    int entry = path.PairStart + a * path.D3 + m0; // of S_e
                    long input = (long)(path.Row + a) * u, weights = (long)p * u;
                    var block = new BackwardBlock(edge.W + weights, edge.X + input, edge.GX + input, gw + weights,
                        gyr + (long)(path.Column + m0) * u, edge.S + entry, edge.DS + entry, u, a == 0 && m0 == 0 && !addToGw);
                    switch (n)
                    {
                        case 1: BackwardRows<One>(block); break;
                        case 3: BackwardRows<Three>(block); break;
                        case 5: BackwardRows<Five>(block); break;
                        default: BackwardRows<Seven>(block); break;
                    }
                }
        }
    }

    /// <summary>One block of <see cref="BackwardRows{TRows}"/>: one edge's weight row of the path and its gradient,
    /// its sender's input row a and that row's gradient, the receiver's gradient rows m0.., and S_e[a, m0..] with
    /// its gradient.</summary>
    private readonly struct BackwardBlock(T* w, T* x, T* gx, T* gw, T* gy, T* s, T* ds, int u, bool firstIntoGw)
    {
        public readonly T* W = w, X = x, GX = gx, GW = gw, GY = gy, S = s, DS = ds;
        public readonly int U = u;
        public readonly bool FirstIntoGw = firstIntoGw; // store gw (the first block into the row) or add to it
    }

    /// <summary>
    /// One edge, path and input row a, gradient rows m0 .. m0+n (n = TRows): ∂L/∂S[a, m0+m] = Σ_j t[j] gy_m[j] with
    /// t = w·x_a, whose n sums are locals (registers) across the channel loop; and this block's share of
    /// h = Σ_m S[a, m] gy_m, which goes into gx_a (h·w) and gw (h·x_a).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRows<TRows>(in BackwardBlock block) where TRows : struct, IConstant
    {
        int u = block.U, n = TRows.Value, vector = Vector<T>.Count, vectorEnd = u - u % vector;
        T* w = block.W, x = block.X, gx = block.GX, gw = block.GW, gy = block.GY, s = block.S, ds = block.DS;
        bool first = block.FirstIntoGw;
        Vector<T> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default, d6 = default;
        // The gradient rows' offsets as locals: the JIT would otherwise recompute m·u for every row and channel vector.
        long u1 = u, u2 = 2L * u, u3 = 3L * u, u4 = 4L * u, u5 = 5L * u, u6 = 6L * u;
        for (int j = 0; j < vectorEnd; j += vector)
        {
            var wv = Vector.Load(w + j);
            var xv = Vector.Load(x + j);
            var t = wv * xv;
            T* gj = gy + j;
            var g = Vector.Load(gj);
            var h = g * s[0];
            d0 = MultiplyAdd(t, g, d0);
            if (n > 1)
            {
                g = Vector.Load(gj + u1); h = MultiplyAdd(g, new Vector<T>(s[1]), h); d1 = MultiplyAdd(t, g, d1);
                g = Vector.Load(gj + u2); h = MultiplyAdd(g, new Vector<T>(s[2]), h); d2 = MultiplyAdd(t, g, d2);
                if (n > 3)
                {
                    g = Vector.Load(gj + u3); h = MultiplyAdd(g, new Vector<T>(s[3]), h); d3 = MultiplyAdd(t, g, d3);
                    g = Vector.Load(gj + u4); h = MultiplyAdd(g, new Vector<T>(s[4]), h); d4 = MultiplyAdd(t, g, d4);
                    if (n > 5)
                    {
                        g = Vector.Load(gj + u5); h = MultiplyAdd(g, new Vector<T>(s[5]), h); d5 = MultiplyAdd(t, g, d5);
                        g = Vector.Load(gj + u6); h = MultiplyAdd(g, new Vector<T>(s[6]), h); d6 = MultiplyAdd(t, g, d6);
                    }
                }
            }
            MultiplyAdd(h, wv, Vector.Load(gx + j)).Store(gx + j);
            (first ? h * xv : MultiplyAdd(h, xv, Vector.Load(gw + j))).Store(gw + j);
        }
        ds[0] = Vector.Sum(d0);
        if (n > 1)
        {
            ds[1] = Vector.Sum(d1); ds[2] = Vector.Sum(d2);
            if (n > 3)
            {
                ds[3] = Vector.Sum(d3); ds[4] = Vector.Sum(d4);
                if (n > 5) { ds[5] = Vector.Sum(d5); ds[6] = Vector.Sum(d6); }
            }
        }
        // The channels past the last full vector.
        for (int j = vectorEnd; j < u; j++)
        {
            T t = w[j] * x[j], h = T.Zero;
            for (int m = 0; m < n; m++)
            {
                T g = gy[(long)m * u + j];
                h += g * s[m];
                ds[m] += t * g;
            }
            gx[j] += h * w[j];
            gw[j] = first ? h * x[j] : gw[j] + h * x[j];
        }
    }

    /// <summary>Where one edge's data lie, for the edges of the receiver at hand.</summary>
    private struct EdgeRows
    {
        public int Edge;
        public T* X, GX;   // the sender's feature rows and their gradient
        public T* W;       // the edge's radial weights [paths, U]
        public T* S, DS;   // its coupling S_e [Pairs] and ∂L/∂S_e
    }

    /// <summary>A thread's buffers for one receiver at a time: the couplings S_e of all its edges, computed once
    /// and used by every path, ∂L/∂S_e in the reverse pass, and where each edge's rows lie.</summary>
    private sealed class ReceiverScratch : IDisposable
    {
        private readonly UvuConvolutionKernel<T> _kernel;
        private readonly T* _couplings, _couplingGradients;
        public EdgeRows* Edges { get; }

        public ReceiverScratch(UvuConvolutionKernel<T> kernel, EdgeLayout graph)
        {
            _kernel = kernel;
            nuint slots = (nuint)Math.Max(1, graph.Slots), pairs = (nuint)Math.Max(1, kernel.Pairs);
            _couplings = (T*)NativeMemory.Alloc(slots * pairs, (nuint)sizeof(T));
            _couplingGradients = (T*)NativeMemory.Alloc(slots * pairs, (nuint)sizeof(T));
            Edges = (EdgeRows*)NativeMemory.Alloc(slots, (nuint)sizeof(EdgeRows));
        }

        /// <summary>Fills <see cref="Edges"/> for the edges into <paramref name="r"/> with their couplings; returns
        /// their number. gx may be null (forward pass).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Prepare(int r, T* x, T* gx, T* sh, T* w, EdgeLayout graph, int[]? weightRow)
        {
            int first = graph.ReceiverOffsets[r], degree = graph.ReceiverOffsets[r + 1] - first;
            int u = _kernel.Channels, pairs = _kernel.Pairs;
            long nodeSize = (long)_kernel.Rows * u, rowSize = (long)_kernel.PathCount * u;
            for (int i = 0; i < degree; i++)
            {
                int e = graph.EdgesByReceiver[first + i], sender = graph.SenderIndex[e];
                T* s = _couplings + (long)i * pairs;
                Edges[i] = new EdgeRows
                {
                    Edge = e,
                    X = x + sender * nodeSize, GX = gx + sender * nodeSize,
                    W = w + (weightRow is null ? e : weightRow[e]) * rowSize,
                    S = s, DS = _couplingGradients + (long)i * pairs,
                };
                _kernel._coupling.Multiply(sh + (long)e * _kernel.ShDim, s);
            }
            return degree;
        }

        public void Dispose()
        {
            NativeMemory.Free(_couplings);
            NativeMemory.Free(_couplingGradients);
            NativeMemory.Free(Edges);
        }
    }

    /// <summary>A sparse matrix by rows: the terms of each row contiguous, each row summed in a register and
    /// stored once.</summary>
    private sealed class SparseRows
    {
        private readonly int[] _start, _column;
        private readonly T[] _value;

        public SparseRows(int rows, IEnumerable<(int Row, int Column, T Value)> terms)
        {
            var sorted = terms.OrderBy(t => t.Row).ToArray(); // stable: each row's terms keep their order
            _start = new int[rows + 1];
            foreach (var t in sorted) _start[t.Row + 1]++;
            for (int k = 0; k < rows; k++) _start[k + 1] += _start[k];
            _column = sorted.Select(t => t.Column).ToArray();
            _value = sorted.Select(t => t.Value).ToArray();
        }

        /// <summary>output[k] = Σ value · input[column] over row k's terms, for every row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Multiply(T* input, T* output)
        {
            fixed (int* start = _start, column = _column)
            fixed (T* value = _value)
            {
                int rows = _start.Length - 1;
                for (int k = 0, t = 0; k < rows; k++)
                {
                    T sum = T.Zero;
                    for (int end = start[k + 1]; t < end; t++) sum += value[t] * input[column[t]];
                    output[k] = sum;
                }
            }
        }
    }
}
