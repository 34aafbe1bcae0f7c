using System.Text;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// Reads and writes structure files, choosing the format from an explicit name or from the file name:
/// <c>.extxyz</c> → "extxyz"; <c>.xyz</c> → "xyz" (extended XYZ whose comment lines without '=' are plain
/// comments); <c>.cif</c> → "cif"; <c>POSCAR*</c>, <c>CONTCAR*</c>, <c>.vasp</c>, <c>.poscar</c> → "vasp".
/// Bad input raises <see cref="InputException"/> naming the file and line. Writing goes to a temporary file that
/// replaces the target only when complete, so a failure never leaves a half-written file.
/// </summary>
public static class StructureFile
{
    public static readonly IReadOnlyList<string> Formats = ["extxyz", "xyz", "cif", "vasp"];

    /// <summary>The format name for <paramref name="path"/>, or the explicit <paramref name="format"/> normalised.</summary>
    public static string ResolveFormat(string path, string? format = null)
    {
        if (!string.IsNullOrWhiteSpace(format))
        {
            string f = format.Trim().ToLowerInvariant();
            return f switch
            {
                "extxyz" or "xyz" or "cif" or "vasp" => f,
                "poscar" or "contcar" => "vasp",
                _ => throw new InputException(path, null, $"unknown format '{format}' (known: {string.Join(", ", Formats)})"),
            };
        }
        string name = Path.GetFileName(path);
        string ext = Path.GetExtension(name).ToLowerInvariant();
        if (ext == ".extxyz") return "extxyz";
        if (ext == ".xyz") return "xyz";
        if (ext == ".cif") return "cif";
        if (ext is ".vasp" or ".poscar") return "vasp";
        if (name.StartsWith("POSCAR", StringComparison.OrdinalIgnoreCase) || name.StartsWith("CONTCAR", StringComparison.OrdinalIgnoreCase)) return "vasp";
        throw new InputException(path, null, $"cannot tell the format from the name '{name}': give one of {string.Join(", ", Formats)}");
    }

    /// <summary>All frames of the file.</summary>
    public static IReadOnlyList<Structure> Read(string path, string? format = null)
    {
        string resolved = ResolveFormat(path, format);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return ReadText(reader, path, resolved);
    }

    /// <summary>Reads from open text in a named format (<paramref name="fileName"/> is for messages only).</summary>
    public static IReadOnlyList<Structure> ReadText(TextReader reader, string? fileName, string format) =>
        ResolveFormat(fileName ?? "", format) switch
        {
            "extxyz" => ExtXyzReader.ReadAll(reader, fileName, plainComments: false),
            "xyz" => ExtXyzReader.ReadAll(reader, fileName, plainComments: true),
            var f => throw new InputException(fileName, null, $"reading {f} is not available"),
        };

    /// <summary>One frame: <paramref name="index"/> counts from 0, negative from the end (-1 is the last).</summary>
    public static Structure ReadFrame(string path, int index = -1, string? format = null)
    {
        var frames = Read(path, format);
        int at = index < 0 ? frames.Count + index : index;
        if (at < 0 || at >= frames.Count) throw new InputException(path, null, $"frame {index} does not exist: the file has {frames.Count} frame(s)");
        return frames[at];
    }

    /// <summary>Writes all frames; formats that hold one structure (cif, vasp) accept exactly one.</summary>
    public static void Write(string path, IEnumerable<Structure> frames, string? format = null)
    {
        string resolved = ResolveFormat(path, format);
        var list = frames.ToList();
        if (list.Count == 0) throw new ArgumentException("No structures to write.");
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)) { NewLine = "\n" })
                WriteText(writer, list, resolved);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void Write(string path, Structure structure, string? format = null) => Write(path, [structure], format);

    public static void WriteText(TextWriter writer, IReadOnlyList<Structure> frames, string format)
    {
        switch (ResolveFormat("", format))
        {
            case "extxyz" or "xyz":
                using (var xyz = new ExtXyzWriter(writer, leaveOpen: true))
                    foreach (var s in frames) xyz.Write(s);
                break;
            case var f:
                throw new InputException(null, null, $"writing {f} is not available");
        }
    }
}
