using static TorchSharp.torch;

using MDEngine.ML.E3nn;
using MDEngine.ML.Graphs;

namespace MDEngine.ML.Kernels;

/// <summary>
/// The fused CPU convolution (<see cref="UvuConvolutionKernel{T}"/>) as an autograd node: inputs channels-last node
/// features x [N, rows, u], spherical harmonics [E, dim2], radial weights [E, paths·u] (or one row per edge pair);
/// output the messages summed
/// onto the receivers, channels last [N, cols, u]. Its reverse pass is the kernel's, so no per-edge channel tensor
/// is stored for it.
/// </summary>
internal sealed class UvuConvolutionFunction : autograd.SingleTensorFunction<UvuConvolutionFunction>
{
    public override string Name => "UvuConvolution";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0]; var sh = (Tensor)vars[1]; var w = (Tensor)vars[2];
        var kernel = vars[3]; var layout = (EdgeLayout)vars[4]; bool paired = (bool)vars[5];
        // Tensors go through save_for_backward (the autograd context warns about tensors in its data slots).
        ctx.save_for_backward([x, sh, w]);
        ctx.save_data("kernel", kernel); ctx.save_data("layout", layout); ctx.save_data("paired", paired);
        return Forward(kernel, x, sh, w, layout, paired);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var kernel = ctx.get_data("kernel"); var layout = (EdgeLayout)ctx.get_data("layout"); bool paired = (bool)ctx.get_data("paired");
        StageClock.Mark("reverse: other");
        var (gx, gsh, gw) = Backward(kernel, saved[0], saved[1], saved[2], layout, paired, gradOutput);
        StageClock.Mark("reverse: convolution");
        return [gx, gsh, gw, null!, null!, null!];
    }

    /// <summary>The messages [N, cols, u], without autograd (x, sh and w contiguous).</summary>
    internal static unsafe Tensor Forward(object kernel, Tensor x, Tensor sh, Tensor w, EdgeLayout layout, bool paired)
    {
        int threads = CpuParallel.Threads;
        switch (kernel)
        {
            case UvuConvolutionKernel<float> k:
            {
                var y = empty(layout.Nodes, k.Columns, k.Channels, dtype: x.dtype);
                k.Forward(TensorMemory.Pointer<float>(x), TensorMemory.Pointer<float>(sh), TensorMemory.Pointer<float>(w), TensorMemory.Pointer<float>(y), layout, threads, paired);
                return y;
            }
            case UvuConvolutionKernel<double> k:
            {
                var y = empty(layout.Nodes, k.Columns, k.Channels, dtype: x.dtype);
                k.Forward(TensorMemory.Pointer<double>(x), TensorMemory.Pointer<double>(sh), TensorMemory.Pointer<double>(w), TensorMemory.Pointer<double>(y), layout, threads, paired);
                return y;
            }
            default: throw new ArgumentException("no convolution kernel for this dtype");
        }
    }

    /// <summary>∂L/∂x, ∂L/∂sh and ∂L/∂w from ∂L/∂y.</summary>
    internal static unsafe (Tensor X, Tensor Sh, Tensor W) Backward(object kernel, Tensor x, Tensor sh, Tensor w, EdgeLayout layout, bool paired, Tensor gradOutput)
    {
        var gy = gradOutput.contiguous();
        var gx = empty_like(x); var gsh = empty_like(sh); var gw = empty_like(w); // the kernel writes every entry
        int threads = CpuParallel.Threads;
        switch (kernel)
        {
            case UvuConvolutionKernel<float> k:
                k.Backward(TensorMemory.Pointer<float>(x), TensorMemory.Pointer<float>(sh), TensorMemory.Pointer<float>(w), TensorMemory.Pointer<float>(gy),
                    TensorMemory.Pointer<float>(gx), TensorMemory.Pointer<float>(gsh), TensorMemory.Pointer<float>(gw), layout, threads, paired);
                break;
            case UvuConvolutionKernel<double> k:
                k.Backward(TensorMemory.Pointer<double>(x), TensorMemory.Pointer<double>(sh), TensorMemory.Pointer<double>(w), TensorMemory.Pointer<double>(gy),
                    TensorMemory.Pointer<double>(gx), TensorMemory.Pointer<double>(gsh), TensorMemory.Pointer<double>(gw), layout, threads, paired);
                break;
            default: throw new ArgumentException("no convolution kernel for this dtype");
        }
        return (gx, gsh, gw);
    }
}
