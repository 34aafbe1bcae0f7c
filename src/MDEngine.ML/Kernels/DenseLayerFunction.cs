using static TorchSharp.torch;

namespace MDEngine.ML.Kernels;

/// <summary>
/// y = x·W for a constant W on the CPU with <see cref="MatrixProductKernel{T}"/>, as an autograd node whose reverse
/// pass is ∂L/∂x = ∂L/∂y·Wᵀ (first order: evaluation, not training).
/// </summary>
internal sealed class DenseLayerFunction : autograd.SingleTensorFunction<DenseLayerFunction>
{
    public override string Name => "DenseLayer";

    /// <summary>Fewer rows a thread would cost more in waking the thread than the product saves.</summary>
    private const int MinimumRowsPerThread = 32;

    /// <summary>The kernels of W and of Wᵀ for one dtype.</summary>
    internal sealed record Weights(object Forward, object Transposed);

    /// <summary>The kernels of a [in, out] weight, or null for a dtype they do not serve.</summary>
    public static Weights? For(Tensor weight)
    {
        int k = (int)weight.shape[0], n = (int)weight.shape[1];
        var w = weight.cpu().contiguous();
        var wt = weight.t().cpu().contiguous();
        return weight.dtype switch
        {
            ScalarType.Float32 => new Weights(new MatrixProductKernel<float>(w.data<float>().ToArray(), k, n), new MatrixProductKernel<float>(wt.data<float>().ToArray(), n, k)),
            ScalarType.Float64 => new Weights(new MatrixProductKernel<double>(w.data<double>().ToArray(), k, n), new MatrixProductKernel<double>(wt.data<double>().ToArray(), n, k)),
            _ => null,
        };
    }

    /// <summary>vars: x, the <see cref="Weights"/>, the stage's name for <see cref="StageClock"/> (its reverse pass is
    /// "reverse: stage").</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous(); var weights = (Weights)vars[1];
        ctx.save_data("weights", weights); ctx.save_data("stage", vars[2]);
        return Multiply(x, weights.Forward);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var weights = (Weights)ctx.get_data("weights");
        StageClock.Mark("reverse: other");
        var gx = Multiply(gradOutput.contiguous(), weights.Transposed);
        StageClock.Mark($"reverse: {(string)ctx.get_data("stage")}");
        return [gx, null!, null!];
    }

    /// <summary>
    /// c[rows] (+)= a[rows] · W where a's rows start at element <paramref name="aOffset"/> of the contiguous CPU tensor a,
    /// <paramref name="lda"/> apart, and c's likewise (one component row of channels-last features: <see cref="E3nn.ChannelsLastLinear"/>).
    /// </summary>
    public static unsafe void MultiplyRows(object kernel, Tensor a, long aOffset, long lda, Tensor c, long cOffset, long ldc, int rows, bool add)
    {
        switch (kernel)
        {
            case MatrixProductKernel<float> k: k.Multiply(TensorMemory.Pointer<float>(a) + aOffset, lda, TensorMemory.Pointer<float>(c) + cOffset, ldc, rows, add); break;
            case MatrixProductKernel<double> k: k.Multiply(TensorMemory.Pointer<double>(a) + aOffset, lda, TensorMemory.Pointer<double>(c) + cOffset, ldc, rows, add); break;
            default: throw new ArgumentException("no matrix product kernel for this dtype");
        }
    }

    /// <summary>x·B into a new tensor, the rows split over the threads from <see cref="MinimumRowsPerThread"/> rows a
    /// thread (one range each; one thread within a parallel section).</summary>
    private static unsafe Tensor Multiply(Tensor x, object kernel)
    {
        int rows = (int)x.shape[0], threads = Math.Clamp(rows / MinimumRowsPerThread, 1, CpuParallel.Threads);
        switch (kernel)
        {
            case MatrixProductKernel<float> k:
            {
                var y = empty(rows, k.Columns, dtype: x.dtype);
                nint px = (nint)TensorMemory.Pointer<float>(x), py = (nint)TensorMemory.Pointer<float>(y);
                CpuParallel.ForRanges(rows, threads, (first, end) => k.Multiply((float*)px + (long)first * k.Depth, (float*)py + (long)first * k.Columns, end - first));
                return y;
            }
            case MatrixProductKernel<double> k:
            {
                var y = empty(rows, k.Columns, dtype: x.dtype);
                nint px = (nint)TensorMemory.Pointer<double>(x), py = (nint)TensorMemory.Pointer<double>(y);
                CpuParallel.ForRanges(rows, threads, (first, end) => k.Multiply((double*)px + (long)first * k.Depth, (double*)py + (long)first * k.Columns, end - first));
                return y;
            }
            default: throw new ArgumentException("no matrix product kernel for this dtype");
        }
    }
}
