using System.Collections;
using System.IO.Compression;
using MDEngine.ML.Graphs;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MDEngine.ML.IO;

/// <summary>
/// Reads a PyTorch state dict written by <c>torch.save(model.state_dict(), path)</c> (the zip format of PyTorch ≥ 1.6:
/// a pickled dictionary whose tensors point at raw little-endian storages stored beside it) without Python. The
/// unpickling is TorchSharp.PyBridge's (Razorvine.Pickle underneath); this layer brings every tensor to the host as
/// a <see cref="SafeTensor"/> (the same form the safetensors reader gives, so a model loader does not care which file
/// it came from) and turns every way a file can be unusable into a <see cref="ModelException"/> saying what is wrong.
/// </summary>
public static class TorchStateDict
{
    public static Dictionary<string, SafeTensor> Read(string path)
    {
        if (!File.Exists(path)) throw new ModelException($"'{path}' not found");
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            CheckZip(stream, path);
            table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        catch (ModelException) { throw; }
        // Whatever the unpickler trips over in a malformed archive (a missing storage, a truncated pickle, an
        // unexpected class) is a malformed model file, reported with the file and the unpickler's words.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelException($"'{path}' is not a readable PyTorch state dict ({e.GetType().Name}: {e.Message})");
        }
        var result = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string name || entry.Value is not Tensor t) continue;
            using (t) result[name] = ToHost(t);
        }
        if (result.Count == 0) throw new ModelException($"'{path}' holds no tensors");
        return result;
    }

    /// <summary>torch.save writes a zip archive; anything else (the legacy format, a truncated download) is refused
    /// before the unpickler sees it.</summary>
    private static void CheckZip(FileStream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        if (stream.Read(magic) < 4 || magic[0] != 0x50 || magic[1] != 0x4b || magic[2] != 0x03 || magic[3] != 0x04)
            throw new ModelException($"'{path}' is not a zip archive (torch.save's format since PyTorch 1.6)");
        stream.Seek(0, SeekOrigin.Begin);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        if (!archive.Entries.Any(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)))
            throw new ModelException($"'{path}' is a zip archive without the data.pkl of a torch.save file");
        stream.Seek(0, SeekOrigin.Begin);
    }

    private static SafeTensor ToHost(Tensor t)
    {
        string dtype = t.dtype switch
        {
            ScalarType.Float64 => "F64",
            ScalarType.Float32 => "F32",
            ScalarType.Int64 => "I64",
            ScalarType.Int32 => "I32",
            ScalarType.Bool => "BOOL",
            var other => throw new ModelException($"tensor of unsupported dtype {other}"),
        };
        using var wide = t.to_type(ScalarType.Float64).contiguous();
        return new SafeTensor(dtype, t.shape, wide.data<double>().ToArray());
    }
}
