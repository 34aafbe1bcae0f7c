using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>Where and in which precision a model's constant tensors live.</summary>
public sealed record TensorOptions(ScalarType DType, Device Device)
{
    public static TensorOptions CpuFloat64 => new(ScalarType.Float64, CPU);

    public Tensor Make(double[] data, params long[] shape) =>
        tensor(data, shape, ScalarType.Float64).to(DType, Device);

    public Tensor Indices(long[] data) => tensor(data, [data.LongLength], ScalarType.Int64).to(Device);
    public Tensor Indices(int[] data) => Indices(data.Select(v => (long)v).ToArray());
}
