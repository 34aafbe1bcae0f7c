using System.IO.Compression;

namespace MDEngine.ML.TorchScript;

/// <summary>
/// What a PyTorch file is, from its container: every modern torch file is a zip archive, and what lies inside tells
/// them apart. A TorchScript module (torch.jit.save) has <c>code/</c> (its TorchScript source) beside
/// <c>data.pkl</c>; a pickled object (torch.save) has <c>data.pkl</c> only; an AOTInductor package (torch 2.6+,
/// <c>aoti_compile_and_package</c>, <c>nequip-compile --mode aotinductor</c>) has an <c>archive_format</c> entry reading
/// <c>pt2</c> and compiled code under <c>data/aotinductor/</c>.
/// </summary>
public static class TorchFileKind
{
    public enum Kind { NotZip, TorchScript, Pickle, AotInductor }

    public static Kind Of(byte[] bytes)
    {
        if (bytes.Length < 4 || bytes[0] != (byte)'P' || bytes[1] != (byte)'K') return Kind.NotZip;
        List<string> names;
        using (var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read))
            names = zip.Entries.Select(e => e.FullName).ToList();
        if (names.Any(n => n.EndsWith("/archive_format", StringComparison.Ordinal) || n.Contains("/data/aotinductor/", StringComparison.Ordinal)))
            return Kind.AotInductor;
        bool pickle = names.Any(n => n.EndsWith("/data.pkl", StringComparison.Ordinal));
        bool code = names.Any(n => n.Split('/') is { Length: > 2 } parts && parts[1] == "code");
        return pickle && code ? Kind.TorchScript : pickle ? Kind.Pickle : Kind.NotZip;
    }

    /// <summary>The archive's entries in their order on disk (a corrupt archive raises InvalidDataException).</summary>
    public static Dictionary<string, byte[]> Entries(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(zip.Entries.Count);
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName.EndsWith('/')) continue;
            using var stream = entry.Open();
            using var buffer = new MemoryStream((int)entry.Length);
            stream.CopyTo(buffer);
            entries.Add(entry.FullName, buffer.ToArray());
        }
        if (entries.Count == 0) throw new InvalidDataException("the zip archive is empty");
        return entries;
    }

    /// <summary>True when the file at <paramref name="path"/> is a zip archive holding a TorchScript module or an
    /// AOTInductor package (so a TorchScript specification is its own, with or without a prefix).</summary>
    public static bool IsTorchScriptOrPackage(string path)
    {
        if (!File.Exists(path)) return false;
        try
        {
            var kind = Of(File.ReadAllBytes(path));
            return kind is Kind.TorchScript or Kind.AotInductor;
        }
        catch (InvalidDataException) { return false; }
    }
}
