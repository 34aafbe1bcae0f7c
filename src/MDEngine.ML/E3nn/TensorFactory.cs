using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>Where and in which precision a model's constant tensors live.</summary>
public sealed record TensorOptions(ScalarType DType, Device Device)
{
    public static TensorOptions CpuFloat64 => new(ScalarType.Float64, CPU);

    public Tensor Make(double[] data, params long[] shape) =>
        tensor(data, shape, ScalarType.Float64).to(DType, Device);

    /// <summary>A raw weight as a float64 host tensor, the input of a <see cref="LayerWeight"/>.</summary>
    public static Tensor Raw(double[] data, params long[] shape) =>
        tensor(data, shape.Length == 0 ? [data.LongLength] : shape, ScalarType.Float64);

    public Tensor Indices(long[] data) => tensor(data, [data.LongLength], ScalarType.Int64).to(Device);
    public Tensor Indices(int[] data) => Indices(data.Select(v => (long)v).ToArray());
}
