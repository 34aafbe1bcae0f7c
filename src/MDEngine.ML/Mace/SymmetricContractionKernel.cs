using System.Buffers;
using System.Runtime.CompilerServices;
using System.Numerics;

namespace MDEngine.ML.Mace;

/// <summary>
/// <see cref="SparseSymmetricContraction"/> on the CPU, forward and reverse, one node at a time with the channels as
/// the SIMD dimension: the monomials of the node's features are built degree by degree (a monomial of degree ν is
/// a stored monomial of degree ν−1 times one feature), each contributes C[element, monomial, M, channel] · monomial
/// to every output M. The reverse pass rebuilds the node's monomials, takes ∂L/∂monomial = Σ_M C · ∂L/∂B_M and
/// walks the monomials from the highest degree down, handing each gradient to its prefix and its last feature
/// (the product rule). Nodes are independent, so threads take contiguous ranges of nodes.
/// </summary>
internal sealed unsafe class SymmetricContractionKernel<T> where T : unmanaged, INumber<T>
{
    private readonly int[] _prefix;  // per monomial: the monomial of one degree less, or −1 for a feature itself
    private readonly int[] _last;    // per monomial: the feature it multiplies in
    private readonly T[][] _coefficients; // per element: [monomials, outputs, channels]

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
        _coefficients = coefficients.Select(c =>
        {
            var t = new T[c.Length];
            for (int ch = 0; ch < channels; ch++)
                for (int k = 0; k < monomials; k++)
                    for (int m = 0; m < outputs; m++)
                        t[((long)k * outputs + m) * channels + ch] = T.CreateChecked(c[((long)ch * monomials + k) * outputs + m]);
            return t;
        }).ToArray();
    }

    /// <summary>
    /// Channels per pass over a range of nodes: as many as keep the coefficients of one element for those channels
    /// (monomials × outputs × channels) within about 256 KB, the size of a core's L2 cache. Every node reads all of
    /// them; with all channels at once (2 MB for MACE-MP-0-medium's first product in float64) they would come from
    /// the shared L3 cache for every node, and two threads would share its bandwidth.
    /// </summary>
    private int ChannelBlock()
    {
        int vector = Vector<T>.Count;
        long perChannel = (long)Monomials * Outputs * sizeof(T);
        int block = (int)Math.Clamp(256 * 1024 / Math.Max(1, perChannel), vector, Channels);
        return block >= Channels ? Channels : Math.Max(vector, block - block % vector);
    }

    /// <summary>x [N, Features, Channels] → y [N, Outputs, Channels] (every entry written).</summary>
    public void Forward(T* x, int[] elements, T* y, int threads)
    {
        nint px = (nint)x, py = (nint)y;
        int block = ChannelBlock();
        Kernels.CpuParallel.ForRanges(elements.Length, threads, (first, end) =>
        {
            // Per-call buffers would land on the large-object heap and bring a full collection every few
            // evaluations: they are rented.
            var monomials = ArrayPool<T>.Shared.Rent(Monomials * block);
            try
            {
                for (int c0 = 0; c0 < Channels; c0 += block)
                {
                    int width = Math.Min(block, Channels - c0);
                    for (int n = first; n < end; n++)
                        ForwardNode((T*)px + (long)n * Features * Channels + c0, _coefficients[elements[n]], c0, width, monomials, (T*)py + (long)n * Outputs * Channels + c0);
                }
            }
            finally { ArrayPool<T>.Shared.Return(monomials); }
        });
    }

    /// <summary>The monomials of one node for the channels [c0, c0 + width): x points at channel c0 of the node's
    /// first feature (rows <see cref="Channels"/> apart); the monomials are written width apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void BuildMonomials(T* x, int width, T* mono)
    {
        for (int k = 0; k < _prefix.Length; k++)
        {
            T* target = mono + (long)k * width;
            T* feature = x + (long)_last[k] * Channels;
            if (_prefix[k] < 0) new ReadOnlySpan<T>(feature, width).CopyTo(new Span<T>(target, width));
            else Multiply(mono + (long)_prefix[k] * width, feature, target, width);
        }
    }

    /// <summary>One node, channels [c0, c0 + width): x and y point at channel c0 of the node's first row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void ForwardNode(T* x, T[] coefficients, int c0, int width, T[] monomials, T* y)
    {
        int c = Channels, vector = Vector<T>.Count, vectorEnd = width - width % vector;
        for (int m = 0; m < Outputs; m++) new Span<T>(y + (long)m * c, width).Clear();
        fixed (T* mono = monomials)
        fixed (T* coefficient = coefficients)
        {
            BuildMonomials(x, width, mono);
            for (int k = 0; k < _prefix.Length; k++)
            {
                T* mk = mono + (long)k * width;
                T* ck = coefficient + (long)k * Outputs * c + c0;
                for (int m = 0; m < Outputs; m++)
                {
                    T* ym = y + (long)m * c, cm = ck + (long)m * c;
                    for (int j = 0; j < vectorEnd; j += vector)
                        (Vector.Load(ym + j) + Vector.Load(cm + j) * Vector.Load(mk + j)).Store(ym + j);
                    for (int j = vectorEnd; j < width; j++) ym[j] += cm[j] * mk[j];
                }
            }
        }
    }

    /// <summary>Given gy = ∂L/∂y [N, Outputs, Channels], writes gx = ∂L/∂x [N, Features, Channels] (every entry).</summary>
    public void Backward(T* x, int[] elements, T* gy, T* gx, int threads)
    {
        nint px = (nint)x, pgy = (nint)gy, pgx = (nint)gx;
        int block = ChannelBlock();
        Kernels.CpuParallel.ForRanges(elements.Length, threads, (first, end) =>
        {
            var monomials = ArrayPool<T>.Shared.Rent(Monomials * block);
            var gradients = ArrayPool<T>.Shared.Rent(Monomials * block);
            try
            {
                for (int c0 = 0; c0 < Channels; c0 += block)
                {
                    int width = Math.Min(block, Channels - c0);
                    for (int n = first; n < end; n++)
                        BackwardNode((T*)px + (long)n * Features * Channels + c0, _coefficients[elements[n]], c0, width, monomials, gradients,
                            (T*)pgy + (long)n * Outputs * Channels + c0, (T*)pgx + (long)n * Features * Channels + c0);
                }
            }
            finally { ArrayPool<T>.Shared.Return(monomials); ArrayPool<T>.Shared.Return(gradients); }
        });
    }

    /// <summary>One node, channels [c0, c0 + width): x, gy and gx point at channel c0 of the node's first row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void BackwardNode(T* x, T[] coefficients, int c0, int width, T[] monomials, T[] gradients, T* gy, T* gx)
    {
        int c = Channels, vector = Vector<T>.Count, vectorEnd = width - width % vector;
        for (int f = 0; f < Features; f++) new Span<T>(gx + (long)f * c, width).Clear();
        fixed (T* mono = monomials)
        fixed (T* grad = gradients)
        fixed (T* coefficient = coefficients)
        {
            BuildMonomials(x, width, mono);
            // ∂L/∂monomial from the outputs.
            for (int k = 0; k < _prefix.Length; k++)
            {
                T* gk = grad + (long)k * width;
                T* ck = coefficient + (long)k * Outputs * c + c0;
                for (int j = 0; j < vectorEnd; j += vector)
                {
                    var sum = Vector<T>.Zero;
                    for (int m = 0; m < Outputs; m++) sum += Vector.Load(ck + (long)m * c + j) * Vector.Load(gy + (long)m * c + j);
                    sum.Store(gk + j);
                }
                for (int j = vectorEnd; j < width; j++)
                {
                    T sum = T.Zero;
                    for (int m = 0; m < Outputs; m++) sum += ck[(long)m * c + j] * gy[(long)m * c + j];
                    gk[j] = sum;
                }
            }
            // Product rule, highest degree first: monomial k = prefix · x[last].
            for (int k = _prefix.Length - 1; k >= 0; k--)
            {
                T* gk = grad + (long)k * width;
                T* gLast = gx + (long)_last[k] * c;
                if (_prefix[k] < 0) { Add(gk, gLast, width); continue; }
                T* gPrefix = grad + (long)_prefix[k] * width;
                T* mPrefix = mono + (long)_prefix[k] * width;
                T* xLast = x + (long)_last[k] * c;
                for (int j = 0; j < vectorEnd; j += vector)
                {
                    var g = Vector.Load(gk + j);
                    (Vector.Load(gPrefix + j) + g * Vector.Load(xLast + j)).Store(gPrefix + j);
                    (Vector.Load(gLast + j) + g * Vector.Load(mPrefix + j)).Store(gLast + j);
                }
                for (int j = vectorEnd; j < width; j++)
                {
                    gPrefix[j] += gk[j] * xLast[j];
                    gLast[j] += gk[j] * mPrefix[j];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private static void Multiply(T* a, T* b, T* target, int c)
    {
        int vector = Vector<T>.Count, vectorEnd = c - c % vector;
        for (int j = 0; j < vectorEnd; j += vector) (Vector.Load(a + j) * Vector.Load(b + j)).Store(target + j);
        for (int j = vectorEnd; j < c; j++) target[j] = a[j] * b[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private static void Add(T* source, T* target, int c)
    {
        int vector = Vector<T>.Count, vectorEnd = c - c % vector;
        for (int j = 0; j < vectorEnd; j += vector) (Vector.Load(target + j) + Vector.Load(source + j)).Store(target + j);
        for (int j = vectorEnd; j < c; j++) target[j] += source[j];
    }
}
