using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// The CPU symmetric contraction (<see cref="SymmetricContractionKernel{T}"/>) as an autograd node: input the
/// channels-last node features [N, d, channels], output [N, Σ(2L+1), channels]; its reverse pass rebuilds the
/// monomials of each node instead of storing them.
/// </summary>
internal sealed class SymmetricContractionFunction : autograd.SingleTensorFunction<SymmetricContractionFunction>
{
    public override string Name => "SymmetricContraction";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0]; var kernel = vars[1]; var elements = (int[])vars[2];
        ctx.save_for_backward([x]);
        ctx.save_data("kernel", kernel); ctx.save_data("elements", elements);
        return Forward(kernel, x, elements);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var x = ctx.get_saved_variables()[0]; var kernel = ctx.get_data("kernel"); var elements = (int[])ctx.get_data("elements");
        StageClock.Mark("reverse: other");
        var gx = Backward(kernel, x, elements, gradOutput);
        StageClock.Mark("reverse: product");
        return [gx, null!, null!];
    }

    /// <summary>y [N, outputs, channels] of the contiguous x, without autograd.</summary>
    internal static unsafe Tensor Forward(object kernel, Tensor x, int[] elements)
    {
        int threads = Kernels.CpuParallel.Threads;
        switch (kernel)
        {
            case SymmetricContractionKernel<float> k:
            {
                var y = empty(x.shape[0], k.Outputs, k.Channels, dtype: x.dtype);
                k.Forward(Kernels.TensorMemory.Pointer<float>(x), elements, Kernels.TensorMemory.Pointer<float>(y), threads);
                return y;
            }
            case SymmetricContractionKernel<double> k:
            {
                var y = empty(x.shape[0], k.Outputs, k.Channels, dtype: x.dtype);
                k.Forward(Kernels.TensorMemory.Pointer<double>(x), elements, Kernels.TensorMemory.Pointer<double>(y), threads);
                return y;
            }
            default: throw new ArgumentException("no contraction kernel for this dtype");
        }
    }

    /// <summary>∂L/∂x from ∂L/∂y.</summary>
    internal static unsafe Tensor Backward(object kernel, Tensor x, int[] elements, Tensor gradOutput)
    {
        var gy = gradOutput.contiguous();
        var gx = empty_like(x);
        int threads = Kernels.CpuParallel.Threads;
        switch (kernel)
        {
            case SymmetricContractionKernel<float> k:
                k.Backward(Kernels.TensorMemory.Pointer<float>(x), elements, Kernels.TensorMemory.Pointer<float>(gy), Kernels.TensorMemory.Pointer<float>(gx), threads);
                break;
            case SymmetricContractionKernel<double> k:
                k.Backward(Kernels.TensorMemory.Pointer<double>(x), elements, Kernels.TensorMemory.Pointer<double>(gy), Kernels.TensorMemory.Pointer<double>(gx), threads);
                break;
            default: throw new ArgumentException("no contraction kernel for this dtype");
        }
        return gx;
    }
}
