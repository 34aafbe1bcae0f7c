using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace MDEngine.ML.Tests;

/// <summary>One array of a .npy file: numbers widened to double (booleans as 0/1), or strings for unicode arrays.</summary>
public sealed record NpyArray(string Descr, long[] Shape, double[] Data, string[]? Strings)
{
    public double Scalar => Data.Length == 1 ? Data[0] : throw new InvalidOperationException($"array of shape [{string.Join(",", Shape)}] is not a scalar");
    /// <summary>The values as integers (exact: integer arrays were widened to double without loss).</summary>
    public long[] Longs => Data.Select(v => (long)v).ToArray();
    /// <summary>The values as float32 (exact for a float32 array).</summary>
    public float[] Floats => Data.Select(v => (float)v).ToArray();
}

/// <summary>
/// Reads numpy's .npz (a zip of .npy files, as np.savez writes): the .npy header ("\x93NUMPY", version, a Python dict
/// literal with descr, fortran_order and shape) then the raw C-order data. Covers the little-endian types the
/// reference files use: f8, f4, i8, i4, b1 and U (UTF-32 strings).
/// </summary>
public static partial class Npz
{
    public static Dictionary<string, NpyArray> Read(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            // np.savez names an entry KEY.npy, where a key may hold "/" (grad/name): the key is the path less ".npy".
            string key = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
            result[key] = Parse(memory.ToArray(), entry.FullName);
        }
        return result;
    }

    private static NpyArray Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY") throw new InvalidDataException($"{name}: not a .npy file");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int start = major == 1 ? 10 : 12;
        string header = Encoding.Latin1.GetString(bytes, start, headerLength);
        string descr = DescrPattern().Match(header).Groups[1].Value;
        bool fortran = header.Contains("'fortran_order': True");
        var shapeText = ShapePattern().Match(header).Groups[1].Value;
        long[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var data = bytes.AsSpan(start + headerLength);
        if (descr.StartsWith("<U"))
        {
            int width = int.Parse(descr[2..]);
            var strings = new string[count];
            for (long k = 0; k < count; k++)
                strings[k] = Encoding.UTF32.GetString(data.Slice((int)(k * 4 * width), 4 * width)).TrimEnd('\0');
            return new NpyArray(descr, shape, [], strings);
        }
        var values = new double[count];
        for (int k = 0; k < count; k++)
            values[k] = descr switch
            {
                "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * k)..]),
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(data[(4 * k)..]),
                "<i8" => BinaryPrimitives.ReadInt64LittleEndian(data[(8 * k)..]),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(data[(4 * k)..]),
                "|b1" => data[k],
                _ => throw new InvalidDataException($"{name}: unsupported dtype {descr}"),
            };
        return new NpyArray(descr, shape, fortran ? ToCOrder(values, shape) : values, null);
    }

    /// <summary>Column-major data (the first index fastest) reordered to row-major.</summary>
    private static double[] ToCOrder(double[] values, long[] shape)
    {
        var result = new double[values.Length];
        var index = new long[shape.Length];
        for (long c = 0; c < values.Length; c++)
        {
            long f = 0, stride = 1;
            for (int d = 0; d < shape.Length; d++) { f += index[d] * stride; stride *= shape[d]; }
            result[c] = values[f];
            for (int d = shape.Length - 1; d >= 0; d--) { if (++index[d] < shape[d]) break; index[d] = 0; }
        }
        return result;
    }

    [GeneratedRegex(@"'descr':\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
