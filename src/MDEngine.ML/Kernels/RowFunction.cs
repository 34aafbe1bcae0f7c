using System.Numerics;
using static TorchSharp.torch;

namespace MDEngine.ML.Kernels;

/// <summary>
/// A smooth function applied row by row, R^In → R^Out (a per-edge feature of the edge vector or length), written out
/// with its Jacobian: what <see cref="RowFunctionNode"/> needs to run it and its reverse pass on the CPU without one
/// torch operation per term of its formula.
/// </summary>
internal abstract class RowFunction
{
    public abstract int Inputs { get; }
    public abstract int Outputs { get; }

    /// <summary>Rows [first, end), computed in double precision: forward (<paramref name="gy"/> null) y = f(x), reverse
    /// y ← Jᵀ gy (into the inputs' shape), the Jacobian evaluated again rather than stored.</summary>
    public abstract unsafe void Chunk<T>(T* x, T* y, T* gy, int first, int end) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>x [R, Inputs] → [R, Outputs] as an autograd node (first order: evaluation, not training), the rows split
    /// over the threads.</summary>
    public Tensor Apply(Tensor x) => RowFunctionNode.apply(x, this);

    /// <summary>y = f(x) row by row, x [R, Inputs] → [R, Outputs], outside autograd (a caller that writes its reverse
    /// pass out calls <see cref="Reverse"/>).</summary>
    public Tensor Evaluate(Tensor x)
    {
        x = x.contiguous();
        if (x.dim() != 2 || x.shape[1] != Inputs) throw new ArgumentException($"[rows, {Inputs}] expected, got [{string.Join(", ", x.shape)}]");
        var y = empty(x.shape[0], Outputs, dtype: x.dtype);
        RowFunctionNode.Run(x, y, null, this);
        return y;
    }

    /// <summary>∂L/∂x_r = J(x_r)ᵀ ∂L/∂y_r: gy [R, Outputs] → [R, Inputs].</summary>
    public Tensor Reverse(Tensor x, Tensor gy)
    {
        x = x.contiguous();
        var gx = empty_like(x);
        RowFunctionNode.Run(x, gx, gy.contiguous(), this);
        return gx;
    }
}

/// <summary>The autograd node of a <see cref="RowFunction"/>: y_r = f(x_r); ∂L/∂x_r = J(x_r)ᵀ ∂L/∂y_r, the Jacobian
/// evaluated again in the reverse pass rather than stored.</summary>
internal sealed class RowFunctionNode : autograd.SingleTensorFunction<RowFunctionNode>
{
    public override string Name => "RowFunction";

    /// <summary>Below this many rows a thread would cost more in waking than it saves.</summary>
    private const int MinimumRowsPerThread = 256;

    /// <summary>Rows of the smallest chunk a thread claims.</summary>
    private const int MinimumRowsPerChunk = 64;

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous(); var f = (RowFunction)vars[1];
        ctx.save_for_backward([x]);
        ctx.save_data("function", f);
        return f.Evaluate(x);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var x = ctx.get_saved_variables()[0]; var f = (RowFunction)ctx.get_data("function");
        return [f.Reverse(x, gradOutput), null!];
    }

    /// <summary>Forward (gy null): y = f(x); reverse: y ← Jᵀ gy, per row.</summary>
    internal static unsafe void Run(Tensor x, Tensor y, Tensor? gy, RowFunction f)
    {
        int rows = (int)x.shape[0];
        int threads = Math.Clamp(rows / MinimumRowsPerThread, 1, CpuParallel.Threads);
        switch (x.dtype)
        {
            case ScalarType.Float32:
            {
                nint px = (nint)TensorMemory.Pointer<float>(x), py = (nint)TensorMemory.Pointer<float>(y), pg = gy is null ? 0 : (nint)TensorMemory.Pointer<float>(gy);
                CpuParallel.ForChunks(rows, threads, MinimumRowsPerChunk, (first, end) => f.Chunk((float*)px, (float*)py, (float*)pg, first, end));
                break;
            }
            case ScalarType.Float64:
            {
                nint px = (nint)TensorMemory.Pointer<double>(x), py = (nint)TensorMemory.Pointer<double>(y), pg = gy is null ? 0 : (nint)TensorMemory.Pointer<double>(gy);
                CpuParallel.ForChunks(rows, threads, MinimumRowsPerChunk, (first, end) => f.Chunk((double*)px, (double*)py, (double*)pg, first, end));
                break;
            }
            default: throw new ArgumentException($"row functions run on float32 and float64, not {x.dtype}");
        }
    }
}
