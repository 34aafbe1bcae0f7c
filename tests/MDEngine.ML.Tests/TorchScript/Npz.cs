using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace MDEngine.ML.Tests.TorchScript;

/// <summary>
/// Reads numpy's .npz (a zip of .npy arrays) for the reference tests: little-endian float32, float64, int64 and
/// unicode arrays in C order, the only kinds the reference files hold. The .npy header is a Python dict literal
/// with 'descr', 'fortran_order' and 'shape' (numpy's format spec, NEP 1).
/// </summary>
public sealed partial class Npz
{
    private readonly Dictionary<string, (string Descr, long[] Shape, byte[] Data)> _arrays = [];

    public Npz(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            _arrays[Path.GetFileNameWithoutExtension(entry.Name)] = Parse(buffer.ToArray());
        }
    }

    public long[] Shape(string name) => _arrays[name].Shape;

    public double[] Doubles(string name)
    {
        var (descr, _, data) = _arrays[name];
        return descr switch
        {
            "<f8" => MemoryMarshal.Cast<byte, double>(data).ToArray(),
            "<f4" => MemoryMarshal.Cast<byte, float>(data).ToArray().Select(v => (double)v).ToArray(),
            "<i8" => MemoryMarshal.Cast<byte, long>(data).ToArray().Select(v => (double)v).ToArray(),
            _ => throw new InvalidDataException($"{name}: dtype {descr} is not numeric"),
        };
    }

    public float[] Floats(string name) => _arrays[name].Descr == "<f4"
        ? MemoryMarshal.Cast<byte, float>(_arrays[name].Data).ToArray()
        : throw new InvalidDataException($"{name} is {_arrays[name].Descr}, not float32");

    public long[] Longs(string name) => _arrays[name].Descr == "<i8"
        ? MemoryMarshal.Cast<byte, long>(_arrays[name].Data).ToArray()
        : throw new InvalidDataException($"{name} is {_arrays[name].Descr}, not int64");

    /// <summary>A unicode array ('&lt;U n': n UTF-32 code units per element, zero-padded).</summary>
    public string[] Strings(string name)
    {
        var (descr, _, data) = _arrays[name];
        if (!descr.StartsWith("<U", StringComparison.Ordinal)) throw new InvalidDataException($"{name} is {descr}, not unicode");
        int width = 4 * int.Parse(descr[2..]);
        return Enumerable.Range(0, data.Length / width).Select(k => Encoding.UTF32.GetString(data, k * width, width).TrimEnd('\0')).ToArray();
    }

    private static (string, long[], byte[]) Parse(byte[] npy)
    {
        if (npy.Length < 10 || npy[0] != 0x93 || Encoding.ASCII.GetString(npy, 1, 5) != "NUMPY") throw new InvalidDataException("not a .npy array");
        int major = npy[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(npy, 8) : BitConverter.ToInt32(npy, 8);
        int start = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(npy, start, headerLength);
        string descr = DescrPattern().Match(header).Groups[1].Value;
        if (header.Contains("'fortran_order': True")) throw new InvalidDataException("Fortran-ordered arrays are not read");
        var shape = ShapePattern().Match(header).Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse).ToArray();
        return (descr, shape, npy[(start + headerLength)..]);
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrPattern();
    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
