using System.Buffers.Binary;
using System.Text.Json;

namespace MDEngine.ML.IO;

/// <summary>One array from a safetensors file, widened to double (integers and booleans exactly representable).</summary>
public sealed record SafeTensor(string DType, long[] Shape, double[] Data)
{
    public long Count => Data.LongLength;
}

/// <summary>
/// Reads the safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
/// shape and byte range, then the raw little-endian data. Only what the ML models use is supported
/// (F64, F32, I64, I32, BOOL).
/// </summary>
public static class SafeTensors
{
    /// <summary>Reads every tensor; a damaged file (bad header, offsets outside the data, a shape that does not match
    /// its bytes, an unknown dtype) raises <see cref="InvalidDataException"/> naming the problem.</summary>
    public static Dictionary<string, SafeTensor> Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new InvalidDataException("too short for a safetensors file");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (headerLength <= 0 || 8 + headerLength > bytes.Length) throw new InvalidDataException($"bad safetensors header length {headerLength} (the file has {bytes.Length} bytes)");
        JsonDocument header;
        try { header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)); }
        catch (JsonException e) { throw new InvalidDataException($"the safetensors header is not valid JSON ({e.Message})"); }
        using (header)
        {
            long dataStart = 8 + headerLength, dataLength = bytes.Length - dataStart;
            var result = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
            if (header.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("the safetensors header is not a JSON object");
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                try { result[entry.Name] = ReadTensor(entry, bytes, dataStart, dataLength); }
                catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException or OverflowException)
                {
                    throw new InvalidDataException($"tensor '{entry.Name}': malformed header entry ({e.Message})");
                }
            }
            return result;
        }
    }

    /// <summary>Writes tensors as F64 in the given order (the header lists them with their byte ranges, data 8-aligned).</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, SafeTensor>> tensors)
    {
        var list = tensors.ToList();
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, t) in list)
        {
            header[name] = new { dtype = "F64", shape = t.Shape, data_offsets = new[] { offset, offset + 8 * t.Data.LongLength } };
            offset += 8 * t.Data.LongLength;
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padded = (json.Length + 7) / 8 * 8;
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, padded);
        stream.Write(length);
        stream.Write(json);
        for (int k = json.Length; k < padded; k++) stream.WriteByte((byte)' ');
        var buffer = new byte[8];
        foreach (var (_, t) in list)
            foreach (double v in t.Data) { BinaryPrimitives.WriteDoubleLittleEndian(buffer, v); stream.Write(buffer); }
    }

    private static SafeTensor ReadTensor(JsonProperty entry, byte[] bytes, long dataStart, long dataLength)
    {
        string dtype = entry.Value.GetProperty("dtype").GetString()!;
        long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        if (shape.Any(n => n < 0)) throw new InvalidDataException($"tensor '{entry.Name}' has a negative dimension");
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        int width = dtype switch { "F64" or "I64" => 8, "F32" or "I32" => 4, "BOOL" or "U8" => 1, _ => throw new InvalidDataException($"tensor '{entry.Name}' has unsupported dtype {dtype}") };
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            throw new InvalidDataException($"tensor '{entry.Name}' has data offsets [{string.Join(", ", offsets)}] outside the {dataLength} bytes of data (the file is truncated or damaged)");
        var span = bytes.AsSpan((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0]));
        if (span.Length != count * width) throw new InvalidDataException($"tensor '{entry.Name}' holds {span.Length} bytes, its shape needs {count * width}");
        var data = new double[count];
        for (int k = 0; k < count; k++)
        {
            var s = span.Slice(k * width, width);
            data[k] = dtype switch
            {
                "F64" => BinaryPrimitives.ReadDoubleLittleEndian(s),
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(s),
                "I64" => BinaryPrimitives.ReadInt64LittleEndian(s),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(s),
                _ => s[0],
            };
        }
        return new SafeTensor(dtype, shape, data);
    }
}
