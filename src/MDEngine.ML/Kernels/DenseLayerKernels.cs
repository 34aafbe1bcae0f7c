using static TorchSharp.torch;

namespace MDEngine.ML.Kernels;

/// <summary>
/// A constant layer weight W [in, out] as the <see cref="MatrixProductKernel{T}"/>s of W and Wᵀ (the forward and reverse
/// products of y = x·W), for the radial networks (<see cref="FullyConnectedNetFunction"/>) and the channels-last
/// linear layers (<see cref="E3nn.ChannelsLastLinear"/>).
/// </summary>
internal static class DenseLayerKernels
{
    /// <summary>The kernels of W and of Wᵀ for one dtype (MatrixProductKernel of float or double).</summary>
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

    /// <summary>Zeroes <paramref name="rows"/> rows of <paramref name="width"/> elements of the contiguous CPU tensor c,
    /// the first at element <paramref name="offset"/>, <paramref name="ldc"/> apart.</summary>
    public static unsafe void ClearRows(Tensor c, long offset, long ldc, int rows, int width)
    {
        switch (c.dtype)
        {
            case ScalarType.Float32: { float* p = TensorMemory.Pointer<float>(c) + offset; for (int r = 0; r < rows; r++) new Span<float>(p + r * ldc, width).Clear(); break; }
            case ScalarType.Float64: { double* p = TensorMemory.Pointer<double>(c) + offset; for (int r = 0; r < rows; r++) new Span<double>(p + r * ldc, width).Clear(); break; }
            default: throw new ArgumentException($"no matrix product kernel for {c.dtype}");
        }
    }
}
