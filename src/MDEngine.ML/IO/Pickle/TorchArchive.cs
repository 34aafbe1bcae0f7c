using System.Buffers.Binary;
using System.IO.Compression;

namespace MDEngine.ML.IO.Pickle;

/// <summary>
/// Reads a file written by <c>torch.save</c> in its zip format (torch ≥ 1.6): <c>PREFIX/data.pkl</c>, the pickled
/// object, whose tensors point through persistent ids <c>('storage', StorageType, key, location, numel)</c> at the raw
/// little-endian entries <c>PREFIX/data/KEY</c>. Tensors come back as <see cref="TorchTensorData"/> (rebuilt from
/// storage, offset, size and stride, as <c>torch._utils._rebuild_tensor_v2</c> does); every other object as the
/// <see cref="PickleReader"/> leaves it. Only names <paramref name="allowed"/> accepts (and torch's own tensor
/// machinery) may appear.
/// </summary>
public static class TorchArchive
{
    public static object? Load(string path, Func<PyGlobal, bool> allowed) => Load(File.ReadAllBytes(path), allowed);

    /// <summary>As <see cref="Load(string, Func{PyGlobal, bool})"/>, from the bytes of an archive (torch.save or
    /// torch.jit.save: both keep their tensors the same way).</summary>
    public static object? Load(byte[] bytes, Func<PyGlobal, bool> allowed)
    {
        if (bytes.Length >= 2 && bytes[0] == 0x80 && bytes[1] <= 5)
            throw new InvalidDataException("the file is in torch's legacy (pre-1.6) format; load it with a newer torch and torch.save it again");
        ZipArchive zip;
        try { zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read); }
        catch (InvalidDataException) { throw new InvalidDataException("not a zip archive (torch.save's format since PyTorch 1.6): the file is damaged or of another kind"); }
        using (zip)
        {
            var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                ?? throw new InvalidDataException("the archive holds no data.pkl (not a torch.save file)");
            string prefix = pickle.FullName[..^"data.pkl".Length];
            var storages = new Dictionary<string, (string DType, byte[] Bytes)>();

            object? PersistentLoad(object? pid)
            {
                if (pid is not object?[] { Length: >= 5 } t || t[0] is not "storage" || t[1] is not PyGlobal type || t[2] is not string key)
                    throw new InvalidDataException("the pickle refers to external data that is not a torch storage");
                if (!storages.TryGetValue(key, out var storage))
                {
                    var entry = zip.GetEntry($"{prefix}data/{key}") ?? throw new InvalidDataException($"the archive lacks the tensor data entry data/{key}");
                    storage = (StorageDType(type), ReadAll(entry));
                    storages[key] = storage;
                }
                return storage;
            }

            object? Call(PyGlobal g, IReadOnlyList<object?> args) => g.FullName switch
            {
                "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor" => RebuildTensor(args),
                "torch._utils._rebuild_parameter" or "torch._utils._rebuild_parameter_with_state" => args.Count > 0 && args[0] is TorchTensorData t
                    ? t : throw new InvalidDataException("a parameter without its tensor"),
                // TorchScript archives tag typed containers and pack lists of scalars; the values are what count.
                "torch.jit._pickle.restore_type_tag" => args.Count > 0 ? args[0] ?? PyNone.Instance : null,
                _ when g.Module == "torch.jit._pickle" && g.Name.StartsWith("build_", StringComparison.Ordinal) => args.Count > 0 ? args[0] : null,
                // An fx GraphModule (e3nn's compiled code) pickles as a call with its __dict__ as the first argument.
                "torch.fx.graph_module.reduce_graph_module" => new PyObject(g, args) { State = args.Count > 0 ? args[0] : null },
                _ => null,
            };

            bool Allowed(PyGlobal g) => g.Module == "torch._utils" && g.Name.StartsWith("_rebuild_", StringComparison.Ordinal)
                || g.Module == "torch.jit._pickle" && (g.Name == "restore_type_tag" || g.Name.StartsWith("build_", StringComparison.Ordinal))
                || g.Module == "torch" && g.Name.EndsWith("Storage", StringComparison.Ordinal)
                || allowed(g);

            return new PickleReader(Allowed, Call, PersistentLoad).Read(ReadAll(pickle));
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string StorageDType(PyGlobal type) => type.Name switch
    {
        "DoubleStorage" => "float64",
        "FloatStorage" => "float32",
        "HalfStorage" => "float16",
        "BFloat16Storage" => "bfloat16",
        "LongStorage" => "int64",
        "IntStorage" => "int32",
        "ShortStorage" => "int16",
        "CharStorage" => "int8",
        "ByteStorage" => "uint8",
        "BoolStorage" => "bool",
        _ => throw new InvalidDataException($"tensor storage {type.FullName} is not supported"),
    };

    private static int Width(string dtype) => dtype switch
    {
        "float64" or "int64" => 8,
        "float32" or "int32" => 4,
        "float16" or "bfloat16" or "int16" => 2,
        _ => 1,
    };

    /// <summary>storage, storage_offset, size, stride[, requires_grad, backward_hooks, metadata].</summary>
    private static TorchTensorData RebuildTensor(IReadOnlyList<object?> args)
    {
        if (args.Count < 4 || args[0] is not ValueTuple<string, byte[]> storage || args[1] is not long offset
            || args[2] is not object?[] size || args[3] is not object?[] stride)
            throw new InvalidDataException("a tensor whose storage, offset, size or stride is malformed");
        var (dtype, bytes) = storage;
        int width = Width(dtype);
        long[] shape = size.Select(v => v as long? ?? throw new InvalidDataException("a tensor size that is not an integer")).ToArray();
        long[] steps = stride.Select(v => v as long? ?? throw new InvalidDataException("a tensor stride that is not an integer")).ToArray();
        if (shape.Length != steps.Length || shape.Any(n => n < 0) || offset < 0) throw new InvalidDataException("a tensor with an inconsistent shape and stride");
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        long elements = bytes.Length / width;
        long last = offset + shape.Zip(steps, (n, s) => n == 0 ? 0 : (n - 1) * s).Sum();
        if (count > 0 && (last >= elements || steps.Any(s => s < 0)))
            throw new InvalidDataException($"a tensor of shape [{string.Join(", ", shape)}] reaches beyond its storage of {elements} values (the file is truncated or damaged)");
        var values = new double[count];
        var index = new long[shape.Length];
        for (long k = 0; k < count; k++)
        {
            long at = offset;
            for (int d = 0; d < shape.Length; d++) at += index[d] * steps[d];
            values[k] = Element(bytes.AsSpan((int)(at * width), width), dtype);
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
        return new TorchTensorData(dtype, shape, values);
    }

    private static double Element(ReadOnlySpan<byte> b, string dtype) => dtype switch
    {
        "float64" => BinaryPrimitives.ReadDoubleLittleEndian(b),
        "float32" => BinaryPrimitives.ReadSingleLittleEndian(b),
        "float16" => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
        "bfloat16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b) << 16),
        "int64" => BinaryPrimitives.ReadInt64LittleEndian(b),
        "int32" => BinaryPrimitives.ReadInt32LittleEndian(b),
        "int16" => BinaryPrimitives.ReadInt16LittleEndian(b),
        "int8" => (sbyte)b[0],
        _ => b[0],
    };
}
