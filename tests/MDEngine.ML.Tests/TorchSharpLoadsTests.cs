using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests;

public class TorchSharpLoadsTests
{
    [Fact]
    public void AutogradGradientOfCubicSumIsThreeXSquared()
    {
        var x = tensor(new double[] { 1.0, -2.0, 0.5 }, dtype: ScalarType.Float64, requires_grad: true);
        var y = (x * x * x).sum();
        y.backward();
        var gradient = x.grad!.data<double>().ToArray();
        Assert.Equal(new[] { 3.0, 12.0, 0.75 }, gradient);
    }

    [Fact]
    public void NativeLibraryInBuildOutputHasWeakGlibcxxRequirementOnlyWhereNeeded()
    {
        var library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux() || !File.Exists(library)) return;
        // Whatever the system's libstdc++, the library must load: creating a tensor initialises it.
        Assert.Equal(6.0, ones(2, 3).sum().item<float>());
    }
}
