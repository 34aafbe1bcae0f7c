namespace MDEngine.ML.IO.Pickle;

/// <summary>A tensor read from a torch file, on the host: its torch dtype name, shape and values widened to double
/// (integers and booleans exactly representable up to 2^53).</summary>
public sealed record TorchTensorData(string DType, long[] Shape, double[] Values)
{
    public long Count => Values.LongLength;
    public double Scalar => Count == 1 ? Values[0] : throw new InvalidDataException($"a tensor of shape [{string.Join(", ", Shape)}] where a single number was expected");
    /// <summary>The same values in the safetensors reader's form (its dtype names: F64, F32, I64, …).</summary>
    public SafeTensor ToSafeTensor() => new(DType switch
    {
        "float64" => "F64", "float32" => "F32", "float16" => "F16", "bfloat16" => "BF16",
        "int64" => "I64", "int32" => "I32", "int16" => "I16", "int8" => "I8", "uint8" => "U8", "bool" => "BOOL",
        var other => other,
    }, Shape, Values);
}
