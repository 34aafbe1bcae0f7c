using System.Runtime.CompilerServices;
using System.Numerics;
using static MDEngine.ML.Kernels.SimdMath;

namespace MDEngine.ML.Mace;

/// <summary>
/// <see cref="SparseSymmetricContraction"/> on the CPU, forward and reverse, with the channels as the SIMD dimension:
/// the monomials of a node's features are built degree by degree (a monomial of degree ν is a stored monomial of
/// degree ν−1 times one feature), and each output is B[M] = Σ_monomial C[element, monomial, M] · monomial. The reverse
/// pass rebuilds the node's monomials, takes ∂L/∂monomial = Σ_M C · ∂L/∂B_M and walks the monomials from the highest
/// degree down, handing each gradient to its prefix and its last feature (the product rule).
/// <para>
/// The sums over monomials are register-blocked, as a matrix product's micro-kernel: two nodes of one element at a
/// time, up to six outputs (or six output gradients) of each held in registers across all monomials, so that every
/// coefficient loaded feeds two multiply-adds and nothing is stored inside the loop. The coefficients are laid out in
/// channel blocks small enough for a core's L2 cache (<see cref="BlockWidth"/>), each block contiguous. Nodes are
/// independent: threads take contiguous ranges of nodes.
/// </para>
/// </summary>
internal sealed unsafe class SymmetricContractionKernel<T> where T : unmanaged, INumber<T>
{
    private readonly int[] _prefix;  // per monomial: the monomial of one degree less, or −1 for a feature itself
    private readonly int[] _last;    // per monomial: the feature it multiplies in
    private readonly T[][] _coefficients; // per element: [blocks, monomials, outputs, width], zero past the last channel
    private readonly int _width, _blocks;

    public int Features { get; }
    public int Channels { get; }
    public int Outputs { get; }
    public int Monomials => _prefix.Length;

    /// <param name="coefficients">per element, C as [channels, monomials, outputs] (the layout of the batched product)</param>
    public SymmetricContractionKernel(int features, int channels, int outputs, int[] prefix, int[] last, IReadOnlyList<double[]> coefficients)
    {
        Features = features; Channels = channels; Outputs = outputs; _prefix = prefix; _last = last;
        for (int k = 0; k < prefix.Length; k++)
            if (prefix[k] >= k) throw new ArgumentException("every monomial must come after its prefix");
        int monomials = prefix.Length;
        _width = BlockWidth(monomials, outputs, channels);
        _blocks = (channels + _width - 1) / _width;
        _coefficients = coefficients.Select(c =>
        {
            var t = new T[(long)_blocks * monomials * outputs * _width];
            for (int ch = 0; ch < channels; ch++)
            {
                int block = ch / _width, lane = ch % _width;
                for (int k = 0; k < monomials; k++)
                    for (int m = 0; m < outputs; m++)
                        t[(((long)block * monomials + k) * outputs + m) * _width + lane] = T.CreateChecked(c[((long)ch * monomials + k) * outputs + m]);
            }
            return t;
        }).ToArray();
    }

    /// <summary>
    /// Channels per block: a whole number of vectors, as many as keep one element's coefficients of a block
    /// (monomials × outputs × width) within about 256 KB, half a core's L2 cache. Every node reads all of them; with all
    /// channels at once (2 MB for MACE-MP-0-medium's first product in float64) they would come from the shared L3 cache
    /// for every node, and two threads would share its bandwidth.
    /// </summary>
    private static int BlockWidth(int monomials, int outputs, int channels)
    {
        int vector = Vector<T>.Count;
        int padded = (channels + vector - 1) / vector * vector;
        long perChannel = Math.Max(1L, (long)monomials * outputs * sizeof(T));
        int vectors = (int)Math.Clamp(256 * 1024 / perChannel / vector, 1, padded / vector);
        return vectors * vector;
    }

    /// <summary>x [N, Features, Channels] → y [N, Outputs, Channels] (every entry written).</summary>
    public void Forward(T* x, int[] elements, T* y, int threads)
    {
        nint py = (nint)y;
        ForEachPair(x, elements, threads, (scratch, a, b, block, c0) =>
        {
            scratch.BuildMonomials();
            ForwardPair(_coefficients[elements[a]], block, scratch, (T*)py + (long)a * Outputs * Channels + c0, (T*)py + (long)b * Outputs * Channels + c0, Channels - c0);
        });
    }

    /// <summary>Given gy = ∂L/∂y [N, Outputs, Channels], writes gx = ∂L/∂x [N, Features, Channels] (every entry).</summary>
    public void Backward(T* x, int[] elements, T* gy, T* gx, int threads)
    {
        nint pgy = (nint)gy, pgx = (nint)gx;
        ForEachPair(x, elements, threads, (scratch, a, b, block, c0) =>
        {
            scratch.LoadOutputGradients((T*)pgy, a, b, c0);
            scratch.BuildMonomials();
            MonomialGradients(_coefficients[elements[a]], block, scratch);
            scratch.ProductRule();
            scratch.StoreFeatureGradients((T*)pgx, a, b, c0);
        });
    }

    private delegate void PairStep(Scratch scratch, int a, int b, int block, int c0);

    /// <summary>Runs step for every channel block and every pair of nodes of one element, the pair's features of the
    /// block loaded into the thread's scratch. The (block, pair) items go block by block, in chunks the threads claim
    /// as they go: both threads work through the same block's coefficients, which stay in each one's L2.</summary>
    private void ForEachPair(T* x, int[] elements, int threads, PairStep step)
    {
        nint px = (nint)x;
        var pairs = PairsOfOneElement(elements);
        int items = _blocks * pairs.Count;
        Kernels.CpuParallel.ForChunks(items, threads, 1, () => new Scratch(this), (scratch, first, end) =>
        {
            for (int i = first; i < end; i++)
            {
                int block = i / pairs.Count, c0 = block * _width;
                var (a, b) = pairs[i % pairs.Count];
                scratch.LoadFeatures((T*)px, a, b, c0);
                step(scratch, a, b, block, c0);
            }
        });
    }

    /// <summary>The nodes in pairs of the same element (a node left alone is paired with itself). A node's outputs do
    /// not depend on its partner.</summary>
    private static List<(int A, int B)> PairsOfOneElement(int[] elements)
    {
        var order = Enumerable.Range(0, elements.Length).OrderBy(n => elements[n]).ToArray(); // stable: nodes in order within an element
        var pairs = new List<(int, int)>((order.Length + 1) / 2);
        for (int i = 0; i < order.Length;)
        {
            bool two = i + 1 < order.Length && elements[order[i + 1]] == elements[order[i]];
            pairs.Add((order[i], two ? order[i + 1] : order[i]));
            i += two ? 2 : 1;
        }
        return pairs;
    }

    /// <summary>y rows of nodes a and b for one channel block, in groups of at most six outputs.</summary>
    private void ForwardPair(T[] coefficients, int block, Scratch s, T* ya, T* yb, int valid)
    {
        fixed (T* c = coefficients)
        {
            T* cb = c + (long)block * Monomials * Outputs * _width;
            for (int m = 0; m < Outputs;)
            {
                int rest = Outputs - m;
                T* cm = cb + (long)m * _width, yam = ya + (long)m * Channels, ybm = yb + (long)m * Channels;
                if (rest >= 6) { ContractGroup<Kernels.Six>(s.MonomialsA, s.MonomialsB, cm, yam, ybm, valid); m += 6; }
                else if (rest >= 4) { ContractGroup<Kernels.Four>(s.MonomialsA, s.MonomialsB, cm, yam, ybm, valid); m += 4; }
                else if (rest >= 2) { ContractGroup<Kernels.Two>(s.MonomialsA, s.MonomialsB, cm, yam, ybm, valid); m += 2; }
                else { ContractGroup<Kernels.One>(s.MonomialsA, s.MonomialsB, cm, yam, ybm, valid); m += 1; }
            }
        }
    }

    /// <summary>∂L/∂monomial of nodes a and b for one channel block (into the scratch), in groups of at most six outputs.</summary>
    private void MonomialGradients(T[] coefficients, int block, Scratch s)
    {
        fixed (T* c = coefficients)
        {
            T* cb = c + (long)block * Monomials * Outputs * _width;
            for (int m = 0; m < Outputs;)
            {
                int rest = Outputs - m;
                T* cm = cb + (long)m * _width;
                T* ga = s.OutputGradientsA + (long)m * _width, gb = s.OutputGradientsB + (long)m * _width;
                bool first = m == 0;
                if (rest >= 6) { GradientGroup<Kernels.Six>(ga, gb, cm, s.GradientsA, s.GradientsB, first); m += 6; }
                else if (rest >= 4) { GradientGroup<Kernels.Four>(ga, gb, cm, s.GradientsA, s.GradientsB, first); m += 4; }
                else if (rest >= 2) { GradientGroup<Kernels.Two>(ga, gb, cm, s.GradientsA, s.GradientsB, first); m += 2; }
                else { GradientGroup<Kernels.One>(ga, gb, cm, s.GradientsA, s.GradientsB, first); m += 1; }
            }
        }
    }

    /// <summary>
    /// y[m, j] = Σ_k C[k, m, j] · monomial[k, j] for G.Value outputs m of two nodes: 2·G.Value accumulators in registers
    /// (12 of the 16 vector registers at six outputs), each coefficient vector loaded once for both nodes.
    /// c points at output m0 of monomial 0 (rows Outputs·width apart); y at row m0 (rows Channels apart).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void ContractGroup<G>(T* monoA, T* monoB, T* c, T* ya, T* yb, int valid) where G : struct, Kernels.IConstant
    {
        int width = _width, stride = Outputs * width, monomials = Monomials, rows = Channels;
        for (int j = 0; j < width; j += Vector<T>.Count)
        {
            Vector<T> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
            Vector<T> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default;
            T* ck = c + j, ma = monoA + j, mb = monoB + j;
            for (int k = 0; k < monomials; k++, ck += stride, ma += width, mb += width)
            {
                var xa = Vector.Load(ma); var xb = Vector.Load(mb);
                var w = Vector.Load(ck); a0 = MultiplyAdd(w, xa, a0); b0 = MultiplyAdd(w, xb, b0);
                if (G.Value > 1) { w = Vector.Load(ck + width); a1 = MultiplyAdd(w, xa, a1); b1 = MultiplyAdd(w, xb, b1); }
                if (G.Value > 2) { w = Vector.Load(ck + 2 * width); a2 = MultiplyAdd(w, xa, a2); b2 = MultiplyAdd(w, xb, b2); }
                if (G.Value > 3) { w = Vector.Load(ck + 3 * width); a3 = MultiplyAdd(w, xa, a3); b3 = MultiplyAdd(w, xb, b3); }
                if (G.Value > 4) { w = Vector.Load(ck + 4 * width); a4 = MultiplyAdd(w, xa, a4); b4 = MultiplyAdd(w, xb, b4); }
                if (G.Value > 5) { w = Vector.Load(ck + 5 * width); a5 = MultiplyAdd(w, xa, a5); b5 = MultiplyAdd(w, xb, b5); }
            }
            int lanes = valid - j;
            Store(a0, ya + j, lanes); Store(b0, yb + j, lanes);
            if (G.Value > 1) { Store(a1, ya + rows + j, lanes); Store(b1, yb + rows + j, lanes); }
            if (G.Value > 2) { Store(a2, ya + 2 * rows + j, lanes); Store(b2, yb + 2 * rows + j, lanes); }
            if (G.Value > 3) { Store(a3, ya + 3 * rows + j, lanes); Store(b3, yb + 3 * rows + j, lanes); }
            if (G.Value > 4) { Store(a4, ya + 4 * rows + j, lanes); Store(b4, yb + 4 * rows + j, lanes); }
            if (G.Value > 5) { Store(a5, ya + 5 * rows + j, lanes); Store(b5, yb + 5 * rows + j, lanes); }
        }
    }

    /// <summary>
    /// g[k, j] (+)= Σ_m C[k, m, j] · gy[m, j] for G.Value outputs m of two nodes: the output gradients stay in registers
    /// across all monomials. gy points at row m0 of the nodes' padded output gradients (rows width apart); the first
    /// group writes g, the others add to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void GradientGroup<G>(T* gya, T* gyb, T* c, T* ga, T* gb, bool first) where G : struct, Kernels.IConstant
    {
        int width = _width, stride = Outputs * width, monomials = Monomials;
        for (int j = 0; j < width; j += Vector<T>.Count)
        {
            Vector<T> a0 = Vector.Load(gya + j), b0 = Vector.Load(gyb + j), a1 = default, b1 = default, a2 = default, b2 = default,
                a3 = default, b3 = default, a4 = default, b4 = default, a5 = default, b5 = default;
            if (G.Value > 1) { a1 = Vector.Load(gya + width + j); b1 = Vector.Load(gyb + width + j); }
            if (G.Value > 2) { a2 = Vector.Load(gya + 2 * width + j); b2 = Vector.Load(gyb + 2 * width + j); }
            if (G.Value > 3) { a3 = Vector.Load(gya + 3 * width + j); b3 = Vector.Load(gyb + 3 * width + j); }
            if (G.Value > 4) { a4 = Vector.Load(gya + 4 * width + j); b4 = Vector.Load(gyb + 4 * width + j); }
            if (G.Value > 5) { a5 = Vector.Load(gya + 5 * width + j); b5 = Vector.Load(gyb + 5 * width + j); }
            T* ck = c + j, pa = ga + j, pb = gb + j;
            for (int k = 0; k < monomials; k++, ck += stride, pa += width, pb += width)
            {
                var w = Vector.Load(ck);
                Vector<T> sa = first ? w * a0 : MultiplyAdd(w, a0, Vector.Load(pa)), sb = first ? w * b0 : MultiplyAdd(w, b0, Vector.Load(pb));
                if (G.Value > 1) { w = Vector.Load(ck + width); sa = MultiplyAdd(w, a1, sa); sb = MultiplyAdd(w, b1, sb); }
                if (G.Value > 2) { w = Vector.Load(ck + 2 * width); sa = MultiplyAdd(w, a2, sa); sb = MultiplyAdd(w, b2, sb); }
                if (G.Value > 3) { w = Vector.Load(ck + 3 * width); sa = MultiplyAdd(w, a3, sa); sb = MultiplyAdd(w, b3, sb); }
                if (G.Value > 4) { w = Vector.Load(ck + 4 * width); sa = MultiplyAdd(w, a4, sa); sb = MultiplyAdd(w, b4, sb); }
                if (G.Value > 5) { w = Vector.Load(ck + 5 * width); sa = MultiplyAdd(w, a5, sa); sb = MultiplyAdd(w, b5, sb); }
                sa.Store(pa); sb.Store(pb);
            }
        }
    }

    /// <summary>One thread's buffers for a pair of nodes and one channel block, each row <c>width</c> wide and zero past
    /// the last channel: features, monomials, their gradients, the output gradients and the feature gradients.</summary>
    private sealed class Scratch
    {
        private readonly SymmetricContractionKernel<T> _k;

        /// <summary>This thread's buffer, kept from call to call: the same memory, still in the core's caches, every
        /// time a kernel runs here.</summary>
        [ThreadStatic] private static ThreadBuffer? _threadBuffer;

        private sealed class ThreadBuffer
        {
            public T* Pointer;
            public long Length;
            ~ThreadBuffer() { if (Pointer != null) Kernels.AlignedBuffer.Free(Pointer); }
        }

        public readonly T* FeaturesA, FeaturesB, MonomialsA, MonomialsB, GradientsA, GradientsB, OutputGradientsA, OutputGradientsB, FeatureGradientsA, FeatureGradientsB;

        public Scratch(SymmetricContractionKernel<T> kernel)
        {
            _k = kernel;
            int w = kernel._width, f = kernel.Features * w, m = kernel.Monomials * w, o = kernel.Outputs * w;
            long length = 2L * (2 * f + 2 * m + o);
            var buffer = _threadBuffer ??= new ThreadBuffer();
            if (buffer.Length < length)
            {
                if (buffer.Pointer != null) Kernels.AlignedBuffer.Free(buffer.Pointer);
                buffer.Pointer = Kernels.AlignedBuffer.Allocate<T>(length);
                buffer.Length = length;
            }
            T* p = buffer.Pointer;
            FeaturesA = p; FeaturesB = p += f; MonomialsA = p += f; MonomialsB = p += m; GradientsA = p += m; GradientsB = p += m;
            OutputGradientsA = p += m; OutputGradientsB = p += o; FeatureGradientsA = p += o; FeatureGradientsB = p + f;
        }

        /// <summary>Channels [c0, c0 + width) of nodes a and b's features.</summary>
        public void LoadFeatures(T* x, int a, int b, int c0)
        {
            Gather(x + (long)a * _k.Features * _k.Channels + c0, _k.Features, FeaturesA, _k.Channels - c0);
            Gather(x + (long)b * _k.Features * _k.Channels + c0, _k.Features, FeaturesB, _k.Channels - c0);
        }

        public void LoadOutputGradients(T* gy, int a, int b, int c0)
        {
            Gather(gy + (long)a * _k.Outputs * _k.Channels + c0, _k.Outputs, OutputGradientsA, _k.Channels - c0);
            Gather(gy + (long)b * _k.Outputs * _k.Channels + c0, _k.Outputs, OutputGradientsB, _k.Channels - c0);
        }

        /// <summary>Writes the feature gradients' channels [c0, c0 + width) to gx (node b's only when it is another node).</summary>
        public void StoreFeatureGradients(T* gx, int a, int b, int c0)
        {
            Scatter(FeatureGradientsA, _k.Features, gx + (long)a * _k.Features * _k.Channels + c0, _k.Channels - c0);
            if (b != a) Scatter(FeatureGradientsB, _k.Features, gx + (long)b * _k.Features * _k.Channels + c0, _k.Channels - c0);
        }

        public void BuildMonomials()
        {
            BuildMonomials(FeaturesA, MonomialsA);
            BuildMonomials(FeaturesB, MonomialsB);
        }

        /// <summary>From the monomial gradients to the feature gradients, both nodes.</summary>
        public void ProductRule()
        {
            ProductRule(FeaturesA, MonomialsA, GradientsA, FeatureGradientsA);
            ProductRule(FeaturesB, MonomialsB, GradientsB, FeatureGradientsB);
        }

        /// <summary>rows × width from rows Channels apart (valid channels of them), zero past the last channel.</summary>
        private void Gather(T* source, int rows, T* target, int valid)
        {
            int w = _k._width, n = Math.Min(valid, w);
            for (int r = 0; r < rows; r++)
            {
                new ReadOnlySpan<T>(source + (long)r * _k.Channels, n).CopyTo(new Span<T>(target + (long)r * w, n));
                if (n < w) new Span<T>(target + (long)r * w + n, w - n).Clear();
            }
        }

        private void Scatter(T* source, int rows, T* target, int valid)
        {
            int w = _k._width, n = Math.Min(valid, w);
            for (int r = 0; r < rows; r++)
                new ReadOnlySpan<T>(source + (long)r * w, n).CopyTo(new Span<T>(target + (long)r * _k.Channels, n));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
        private void BuildMonomials(T* x, T* mono)
        {
            int w = _k._width;
            int[] prefix = _k._prefix, last = _k._last;
            for (int k = 0; k < prefix.Length; k++)
            {
                T* target = mono + (long)k * w, feature = x + (long)last[k] * w;
                if (prefix[k] < 0) new ReadOnlySpan<T>(feature, w).CopyTo(new Span<T>(target, w));
                else
                {
                    T* p = mono + (long)prefix[k] * w;
                    for (int j = 0; j < w; j += Vector<T>.Count) (Vector.Load(p + j) * Vector.Load(feature + j)).Store(target + j);
                }
            }
        }

        /// <summary>Monomial k = prefix · x[last], highest degree first: its gradient goes to its prefix's and to the
        /// feature's.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
        private void ProductRule(T* x, T* mono, T* grad, T* gx)
        {
            int w = _k._width;
            int[] prefix = _k._prefix, last = _k._last;
            new Span<T>(gx, _k.Features * w).Clear();
            for (int k = prefix.Length - 1; k >= 0; k--)
            {
                T* gk = grad + (long)k * w, gLast = gx + (long)last[k] * w;
                if (prefix[k] < 0)
                {
                    for (int j = 0; j < w; j += Vector<T>.Count) (Vector.Load(gLast + j) + Vector.Load(gk + j)).Store(gLast + j);
                    continue;
                }
                T* gPrefix = grad + (long)prefix[k] * w, mPrefix = mono + (long)prefix[k] * w, xLast = x + (long)last[k] * w;
                for (int j = 0; j < w; j += Vector<T>.Count)
                {
                    var g = Vector.Load(gk + j);
                    MultiplyAdd(g, Vector.Load(xLast + j), Vector.Load(gPrefix + j)).Store(gPrefix + j);
                    MultiplyAdd(g, Vector.Load(mPrefix + j), Vector.Load(gLast + j)).Store(gLast + j);
                }
            }
        }
    }
}
