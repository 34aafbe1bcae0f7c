using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MDEngine.ML.Kernels;

/// <summary>
/// e3nn's FullyConnectedNet on the CPU with constant weights as one autograd node (first order: evaluation, not
/// training): x ← c·silu(x·W_k) for the hidden layers, then x·W_last. The rows (edge pairs) are split over the threads
/// once for the whole network, forward and reverse, in chunks the threads claim as they go; each layer is a <see cref="MatrixProductKernel{T}"/> product, the
/// activation a vectorised pass over the product's rows while they are in cache. The hidden pre-activations are kept
/// for the reverse pass: ∂L/∂z = c·∂L/∂a ⊙ silu'(z), silu'(z) = σ(z)(1 + z(1 − σ(z))), ∂L/∂x = ∂L/∂z·Wᵀ.
/// </summary>
internal sealed class FullyConnectedNetFunction : autograd.SingleTensorFunction<FullyConnectedNetFunction>
{
    public override string Name => "FullyConnectedNet";

    /// <summary>Fewer rows a thread would cost more in waking the thread than the network saves.</summary>
    private const int MinimumRowsPerThread = 32;

    /// <summary>Rows of the smallest chunk a thread claims (and what every chunk is a multiple of): the last chunks,
    /// which the other thread may wait for, stay short, and each chunk's rows fill whole blocks of the kernel.</summary>
    private const int MinimumRowsPerChunk = 32;

    /// <summary>vars: x [rows, in], the layers' <see cref="DenseLayerKernels.Weights"/>, the activation's factor c (a
    /// double), the stage's name for <see cref="StageClock"/>.</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var layers = (DenseLayerKernels.Weights[])vars[1];
        double c = (double)vars[2];
        var y = Forward((Tensor)vars[0], layers, c, out var hidden);
        ctx.save_for_backward(hidden.ToList());
        ctx.save_data("layers", layers); ctx.save_data("c", c); ctx.save_data("stage", vars[3]);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var hidden = ctx.get_saved_variables().ToArray();
        var layers = (DenseLayerKernels.Weights[])ctx.get_data("layers"); double c = (double)ctx.get_data("c");
        StageClock.Mark("reverse: other");
        var gx = Backward(hidden, layers, c, gradOutput);
        StageClock.Mark($"reverse: {(string)ctx.get_data("stage")}");
        return [gx, null!, null!, null!];
    }

    /// <summary>y = the network of x, without autograd; <paramref name="hidden"/>: the pre-activations the reverse
    /// pass reads.</summary>
    internal static Tensor Forward(Tensor x, DenseLayerKernels.Weights[] layers, double c, out Tensor[] hidden)
    {
        x = x.contiguous();
        hidden = layers[..^1].Select(l => empty(x.shape[0], Columns(l.Forward), dtype: x.dtype)).ToArray();
        var y = empty(x.shape[0], Columns(layers[^1].Forward), dtype: x.dtype);
        Run(x, hidden, y, null, layers, c);
        return y;
    }

    /// <summary>∂L/∂x from ∂L/∂y and the forward pass's <paramref name="hidden"/> pre-activations.</summary>
    internal static Tensor Backward(Tensor[] hidden, DenseLayerKernels.Weights[] layers, double c, Tensor gradOutput)
    {
        var gx = empty(gradOutput.shape[0], Columns(layers[0].Transposed), dtype: gradOutput.dtype);
        Run(gradOutput.contiguous(), hidden, gx, gradOutput, layers, c);
        return gx;
    }

    private static int Columns(object kernel) => kernel switch
    {
        MatrixProductKernel<float> k => k.Columns,
        MatrixProductKernel<double> k => k.Columns,
        _ => throw new ArgumentException("no matrix product kernel for this dtype"),
    };

    /// <summary>Forward (reverse null): input = x, writes the pre-activations and output = y. Reverse: input = ∂L/∂y,
    /// reads the pre-activations, output = ∂L/∂x.</summary>
    private static unsafe void Run(Tensor input, Tensor[] hidden, Tensor output, Tensor? reverse, DenseLayerKernels.Weights[] layers, double c)
    {
        int rows = (int)input.shape[0], threads = Math.Clamp(rows / MinimumRowsPerThread, 1, CpuParallel.Threads);
        switch (input.dtype)
        {
            case ScalarType.Float32:
            {
                var net = new Network<float>(layers, hidden.Select(h => (nint)TensorMemory.Pointer<float>(h)).ToArray(), (float)c);
                nint pIn = (nint)TensorMemory.Pointer<float>(input), pOut = (nint)TensorMemory.Pointer<float>(output);
                CpuParallel.ForChunks(rows, threads, MinimumRowsPerChunk, (first, end) =>
                {
                    if (reverse is null) net.Forward((float*)pIn, (float*)pOut, first, end - first);
                    else net.Backward((float*)pIn, (float*)pOut, first, end - first);
                });
                break;
            }
            case ScalarType.Float64:
            {
                var net = new Network<double>(layers, hidden.Select(h => (nint)TensorMemory.Pointer<double>(h)).ToArray(), c);
                nint pIn = (nint)TensorMemory.Pointer<double>(input), pOut = (nint)TensorMemory.Pointer<double>(output);
                CpuParallel.ForChunks(rows, threads, MinimumRowsPerChunk, (first, end) =>
                {
                    if (reverse is null) net.Forward((double*)pIn, (double*)pOut, first, end - first);
                    else net.Backward((double*)pIn, (double*)pOut, first, end - first);
                });
                break;
            }
            default: throw new ArgumentException($"the network runs on float32 and float64, not {input.dtype}");
        }
    }

    /// <summary>The layers of one dtype and the hidden pre-activations' storage [rows, width_k].</summary>
    private sealed unsafe class Network<T>(DenseLayerKernels.Weights[] layers, nint[] hidden, T c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly MatrixProductKernel<T>[] _forward = [.. layers.Select(l => (MatrixProductKernel<T>)l.Forward)];
        private readonly MatrixProductKernel<T>[] _transposed = [.. layers.Select(l => (MatrixProductKernel<T>)l.Transposed)];

        private int Width(int k) => _forward[k].Columns;

        /// <summary>Rows [first, first + n): z_k = a_{k−1}·W_k stored, a_k = c·silu(z_k) in scratch, y = a·W_last.</summary>
        public void Forward(T* x, T* y, int first, int n)
        {
            int last = _forward.Length - 1, widest = Enumerable.Range(0, last).Select(Width).DefaultIfEmpty(0).Max();
            var scratch = AlignedBuffer.Allocate<T>((long)n * widest);
            try
            {
                T* a = x + (long)first * _forward[0].Depth;
                for (int k = 0; k < last; k++)
                {
                    T* z = (T*)hidden[k] + (long)first * Width(k);
                    _forward[k].Multiply(a, z, n);
                    Activation<T>.Silu(z, scratch, (long)n * Width(k), c);
                    a = scratch;
                }
                _forward[last].Multiply(a, y + (long)first * Width(last), n);
            }
            finally { AlignedBuffer.Free(scratch); }
        }

        /// <summary>Rows [first, first + n) of ∂L/∂x from ∂L/∂y.</summary>
        public void Backward(T* gy, T* gx, int first, int n)
        {
            int last = _forward.Length - 1;
            if (last == 0) { _transposed[0].Multiply(gy + (long)first * Width(0), gx + (long)first * _forward[0].Depth, n); return; }
            int widest = Enumerable.Range(0, last).Select(Width).Max();
            var buffers = new[] { AlignedBuffer.Allocate<T>((long)n * widest), AlignedBuffer.Allocate<T>((long)n * widest) };
            try
            {
                T* g = buffers[0];
                _transposed[last].Multiply(gy + (long)first * Width(last), g, n);  // ∂L/∂a_{last−1}
                for (int k = last - 1; k >= 0; k--)
                {
                    Activation<T>.SiluReverse((T*)hidden[k] + (long)first * Width(k), g, (long)n * Width(k), c); // → ∂L/∂z_k
                    T* target = k == 0 ? gx + (long)first * _forward[0].Depth : buffers[(last - k) % 2];
                    _transposed[k].Multiply(g, target, n);
                    g = target;
                }
            }
            finally { foreach (var b in buffers) AlignedBuffer.Free(b); }
        }
    }
}

/// <summary>The normalised SiLU c·silu(z) = c·z/(1 + e^(−z)) and its reverse pass, vectorised.</summary>
internal static unsafe class Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>a = c·silu(z), n elements.</summary>
    public static void Silu(T* z, T* a, long n, T c)
    {
        long i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One; var vc = new Vector<T>(c);
            for (; i + Vector<T>.Count <= n; i += Vector<T>.Count)
            {
                var v = Vector.Load(z + i);
                Vector.Store(v / (one + Exp(-v)) * vc, a + i);
            }
        }
        for (; i < n; i++) a[i] = z[i] / (T.One + T.Exp(-z[i])) * c;
    }

    /// <summary>g ← c·g ⊙ silu'(z) in place: from ∂L/∂a to ∂L/∂z.</summary>
    public static void SiluReverse(T* z, T* g, long n, T c)
    {
        long i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One; var vc = new Vector<T>(c);
            for (; i + Vector<T>.Count <= n; i += Vector<T>.Count)
            {
                var v = Vector.Load(z + i);
                var sigmoid = one / (one + Exp(-v));
                Vector.Store(Vector.Load(g + i) * vc * (sigmoid * (one + v * (one - sigmoid))), g + i);
            }
        }
        for (; i < n; i++)
        {
            T sigmoid = T.One / (T.One + T.Exp(-z[i]));
            g[i] = g[i] * c * (sigmoid * (T.One + z[i] * (T.One - sigmoid)));
        }
    }

    private static Vector<T> Exp(Vector<T> v) =>
        typeof(T) == typeof(float) ? Vector.Exp(v.As<T, float>()).As<float, T>()
        : typeof(T) == typeof(double) ? Vector.Exp(v.As<T, double>()).As<double, T>()
        : throw new NotSupportedException();
}
