using static TorchSharp.torch;

namespace MDEngine.ML.Kernels;

/// <summary>
/// A spline (<see cref="HermiteSplineKernel{T}"/>) as an autograd node: input the points x [rows, 1] (or [rows]),
/// output f(x) [rows, outputs]; its reverse pass gives ∂L/∂x = Σ_j ∂L/∂f_j · f_j'(x), in the shape of x. The knots
/// are constants: they get no gradient, and the node is differentiable once. The inputs are x, the kernel, and the
/// stage its reverse pass is charged to (<see cref="StageClock"/>).
/// </summary>
internal sealed class HermiteSplineFunction : autograd.SingleTensorFunction<HermiteSplineFunction>
{
    public override string Name => "HermiteSpline";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous(); var kernel = vars[1];
        ctx.save_for_backward([x]);
        ctx.save_data("kernel", kernel); ctx.save_data("stage", (string)vars[2]);
        return Forward(x, kernel);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var x = ctx.get_saved_variables()[0]; var kernel = ctx.get_data("kernel"); var stage = (string)ctx.get_data("stage");
        StageClock.Mark("reverse: other");
        var gx = Backward(x, kernel, gradOutput);
        StageClock.Mark("reverse: " + stage);
        return [gx, null!, null!];
    }

    /// <summary>The splines at x (contiguous), without autograd: [x.numel(), outputs].</summary>
    internal static unsafe Tensor Forward(Tensor x, object kernel)
    {
        int rows = checked((int)x.numel()), threads = CpuParallel.Threads;
        switch (kernel)
        {
            case HermiteSplineKernel<float> k:
            {
                var y = empty(rows, k.Outputs, dtype: x.dtype);
                k.Forward(TensorMemory.Pointer<float>(x), TensorMemory.Pointer<float>(y), rows, threads);
                return y;
            }
            case HermiteSplineKernel<double> k:
            {
                var y = empty(rows, k.Outputs, dtype: x.dtype);
                k.Forward(TensorMemory.Pointer<double>(x), TensorMemory.Pointer<double>(y), rows, threads);
                return y;
            }
            default: throw new ArgumentException("no spline kernel for this dtype");
        }
    }

    /// <summary>∂L/∂x (shaped as x) from ∂L/∂y.</summary>
    internal static unsafe Tensor Backward(Tensor x, object kernel, Tensor gradOutput)
    {
        var gy = gradOutput.contiguous();
        var gx = empty_like(x);
        int rows = checked((int)x.numel()), threads = CpuParallel.Threads;
        switch (kernel)
        {
            case HermiteSplineKernel<float> k:
                k.Backward(TensorMemory.Pointer<float>(x), TensorMemory.Pointer<float>(gy), TensorMemory.Pointer<float>(gx), rows, threads);
                break;
            case HermiteSplineKernel<double> k:
                k.Backward(TensorMemory.Pointer<double>(x), TensorMemory.Pointer<double>(gy), TensorMemory.Pointer<double>(gx), rows, threads);
                break;
            default: throw new ArgumentException("no spline kernel for this dtype");
        }
        return gx;
    }
}
