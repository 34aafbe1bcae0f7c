using System.Numerics;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace MDEngine.ML.Kernels;

/// <summary>
/// A smooth function applied row by row, R^In → R^Out (a per-edge feature of the edge vector or length), with its
/// Jacobian: what <see cref="RowFunctionNode"/> needs to run it and its reverse pass on the CPU without one torch
/// operation per term of its formula.
/// </summary>
internal abstract class RowFunction
{
    public abstract int Inputs { get; }
    public abstract int Outputs { get; }

    /// <summary>The outputs of one row (double precision), each with its gradient with respect to the row's inputs
    /// (<see cref="Dual3"/>: up to three inputs).</summary>
    public abstract void Evaluate(ReadOnlySpan<double> input, Span<Dual3> output);

    /// <summary>Rows [first, end) written out whole, in double precision: forward (<paramref name="gy"/> null) y = f(x),
    /// reverse y ← Jᵀ gy (into the inputs' shape); false where the function has no such form, and the rows are then
    /// evaluated one by one through <see cref="Evaluate(ReadOnlySpan{double}, Span{Dual3})"/>.</summary>
    public virtual unsafe bool Chunk<T>(T* x, T* y, T* gy, int first, int end) where T : unmanaged, IFloatingPointIeee754<T> => false;

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
                CpuParallel.ForChunks(rows, threads, MinimumRowsPerChunk, (first, end) => Rows((float*)px, (float*)py, (float*)pg, first, end, f));
                break;
            }
            case ScalarType.Float64:
            {
                nint px = (nint)TensorMemory.Pointer<double>(x), py = (nint)TensorMemory.Pointer<double>(y), pg = gy is null ? 0 : (nint)TensorMemory.Pointer<double>(gy);
                CpuParallel.ForChunks(rows, threads, MinimumRowsPerChunk, (first, end) => Rows((double*)px, (double*)py, (double*)pg, first, end, f));
                break;
            }
            default: throw new ArgumentException($"row functions run on float32 and float64, not {x.dtype}");
        }
    }

    private static unsafe void Rows<T>(T* x, T* y, T* gy, int first, int end, RowFunction f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (f.Chunk(x, y, gy, first, end)) return;
        int inputs = f.Inputs, outputs = f.Outputs;
        Span<double> input = stackalloc double[inputs];
        Span<Dual3> output = outputs <= 64 ? stackalloc Dual3[outputs] : new Dual3[outputs];
        for (long r = first; r < end; r++)
        {
            for (int i = 0; i < inputs; i++) input[i] = double.CreateTruncating(x[r * inputs + i]);
            f.Evaluate(input, output);
            if (gy == null)
            {
                for (int o = 0; o < outputs; o++) y[r * outputs + o] = T.CreateTruncating(output[o].V);
                continue;
            }
            var sum = Vector256<double>.Zero; // lanes 1–3: Σ_o g_o ∂y_o/∂x_i
            for (int o = 0; o < outputs; o++) sum = output[o].AddScaledGradient(sum, double.CreateTruncating(gy[r * outputs + o]));
            for (int i = 0; i < inputs; i++) y[r * inputs + i] = T.CreateTruncating(sum.GetElement(1 + i));
        }
    }
}
