namespace MDEngine.ML.IO.Pickle;

/// <summary>A tensor read from a torch file, on the host: its torch dtype name, shape and values widened to double
/// (integers and booleans exactly representable up to 2^53).</summary>
public sealed record TorchTensorData(string DType, long[] Shape, double[] Values)
{
    public long Count => Values.LongLength;
    public double Scalar => Count == 1 ? Values[0] : throw new InvalidDataException($"a tensor of shape [{string.Join(", ", Shape)}] where a single number was expected");
    public SafeTensor ToSafeTensor() => new(DType, Shape, Values);
}
