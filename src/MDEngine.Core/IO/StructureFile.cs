using System.IO.Compression;
using System.Text;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// Reads and writes structure files, choosing the format from an explicit name or from the file name:
/// <c>.extxyz</c> → "extxyz"; <c>.xyz</c> → "xyz" (extended XYZ whose comment lines without '=' are plain
/// comments); <c>.cif</c> → "cif"; <c>POSCAR*</c>, <c>CONTCAR*</c>, <c>.vasp</c>, <c>.poscar</c> → "vasp".
/// A further <c>.gz</c> means gzip-compressed (read and written). Bad input raises <see cref="InputException"/> naming the file and line. Writing goes to a temporary file that
/// replaces the target only when complete, so a failure never leaves a half-written file.
/// </summary>
public static class StructureFile
{
    public static readonly IReadOnlyList<string> Formats = ["extxyz", "xyz", "cif", "vasp", "lammps-data", "lammps-dump", "traj", "db"];

    /// <summary>The formats that hold many frames.</summary>
    public static readonly IReadOnlyList<string> MultiFrameFormats = ["extxyz", "xyz", "lammps-dump", "traj", "db"];

    /// <summary>The formats written frame by frame during a run (<see cref="OpenTrajectory"/>).</summary>
    public static readonly IReadOnlyList<string> TrajectoryFormats = ["extxyz", "xyz", "lammps-dump"];

    /// <summary>The format name for <paramref name="path"/>, or the explicit <paramref name="format"/> normalised.</summary>
    public static string ResolveFormat(string path, string? format = null)
    {
        if (!string.IsNullOrWhiteSpace(format))
        {
            string f = format.Trim().ToLowerInvariant();
            return f switch
            {
                "extxyz" or "xyz" or "cif" or "vasp" or "lammps-data" or "lammps-dump" or "traj" or "db" => f,
                "poscar" or "contcar" => "vasp",
                _ => throw new InputException(path, null, $"unknown format '{format}' (known: {string.Join(", ", Formats)})"),
            };
        }
        string name = Path.GetFileName(path);
        if (IsGzip(name)) name = name[..^3];
        string ext = Path.GetExtension(name).ToLowerInvariant();
        if (ext == ".extxyz") return "extxyz";
        if (ext == ".xyz") return "xyz";
        if (ext == ".cif") return "cif";
        if (ext is ".vasp" or ".poscar") return "vasp";
        if (ext is ".lmp" || name.StartsWith("data.", StringComparison.OrdinalIgnoreCase) || ext == ".data") return "lammps-data";
        if (ext is ".lammpstrj" or ".dump") return "lammps-dump";
        if (ext == ".traj") return "traj";
        if (ext == ".db") return "db";
        if (name.StartsWith("POSCAR", StringComparison.OrdinalIgnoreCase) || name.StartsWith("CONTCAR", StringComparison.OrdinalIgnoreCase)) return "vasp";
        throw new InputException(path, null, $"cannot tell the format from the name '{name}': give one of {string.Join(", ", Formats)}");
    }

    /// <summary>All frames of the file.</summary>
    /// <param name="cif">Choices for CIF files (block, partial sites); ignored for other formats.</param>
    public static IReadOnlyList<Structure> Read(string path, string? format = null, CifReadOptions? cif = null)
    {
        RequireExists(path);
        string resolved = ResolveFormat(path, format);
        if (resolved == "db")
        {
            if (IsGzip(path)) throw new InputException(path, null, "a gzip-compressed database is not read: unpack it first");
            return AseDatabase.Read(path);
        }
        if (resolved == "traj")
        {
            if (IsGzip(path)) throw new InputException(path, null, "a gzip-compressed .traj is not read: unpack it first");
            using var binary = File.OpenRead(path);
            return AseTrajectory.Read(binary, path);
        }
        using var reader = OpenText(path);
        try { return ReadText(reader, path, resolved, cif); }
        catch (InvalidDataException e) { throw new InputException(path, null, $"not a valid gzip file ({e.Message})"); }
    }

    // A missing file is reported as such before its name is asked for a format.
    private static void RequireExists(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
    }

    private static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    // A name ending in .gz is read and written through gzip (format from the name without it), as ASE does.
    private static StreamReader OpenText(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        Stream stream = File.OpenRead(path);
        if (IsGzip(path)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
    }

    /// <summary>Reads from open text in a named format (<paramref name="fileName"/> is for messages only).</summary>
    public static IReadOnlyList<Structure> ReadText(TextReader reader, string? fileName, string format, CifReadOptions? cif = null) =>
        ResolveFormat(fileName ?? "", format) switch
        {
            "extxyz" => ExtXyzReader.ReadAll(reader, fileName, plainComments: false),
            "xyz" => ExtXyzReader.ReadAll(reader, fileName, plainComments: true),
            "cif" => CifReader.Read(reader, fileName, cif),
            "lammps-data" => [LammpsDataReader.Read(reader, fileName)],
            "lammps-dump" => LammpsDumpReader.ReadAll(reader, fileName),
            "traj" or "db" => throw new InputException(fileName, null, $"{format} is binary: read it from its file"),
            _ => [PoscarReader.Read(reader, fileName)],
        };

    /// <summary>One frame: <paramref name="index"/> counts from 0, negative from the end (-1 is the last).</summary>
    public static Structure ReadFrame(string path, int index = -1, string? format = null, CifReadOptions? cif = null)
    {
        try { return ReadOneFrame(path, index, format, cif); }
        catch (InvalidDataException e) { throw new InputException(path, null, $"not a valid gzip file ({e.Message})"); }
    }

    private static Structure ReadOneFrame(string path, int index, string? format, CifReadOptions? cif)
    {
        RequireExists(path);
        string resolved = ResolveFormat(path, format);
        if (resolved is "extxyz" or "xyz")
        {
            // Count the frames first (without parsing atoms) when counting from the end, then parse only the one.
            int count = -1;
            if (index < 0)
                using (var counting = OpenText(path))
                    ExtXyzReader.ReadSelected(counting, path, resolved == "xyz", _ => false, out count);
            int target = index < 0 ? count + index : index;
            using var reader = OpenText(path);
            var selected = target < 0 ? [] : ExtXyzReader.ReadSelected(reader, path, resolved == "xyz", i => i == target, out count, lastNeeded: target);
            if (selected.Count == 0) throw new InputException(path, null, $"frame {index} does not exist: the file has {count} frame(s)");
            return selected[0];
        }
        var frames = Read(path, resolved, cif);
        int at = index < 0 ? frames.Count + index : index;
        if (at < 0 || at >= frames.Count) throw new InputException(path, null, $"frame {index} does not exist: the file has {frames.Count} frame(s)");
        return frames[at];
    }

    /// <summary>Opens a trajectory for writing frame by frame: a LAMMPS dump when <paramref name="path"/> names one,
    /// else extended XYZ.</summary>
    public static IFrameWriter OpenTrajectory(string path, bool append = false) =>
        ResolveFormat(path) == "lammps-dump" ? new LammpsDumpWriter(path, append) : new ExtXyzWriter(path, append);

    /// <summary>Writes all frames; formats that hold one structure (cif, vasp, lammps-data) accept exactly one.</summary>
    public static void Write(string path, IEnumerable<Structure> frames, string? format = null)
    {
        string resolved = ResolveFormat(path, format);
        var list = frames.ToList();
        if (list.Count == 0) throw new ArgumentException("No structures to write.");
        foreach (var frame in list) FiniteValues.RequireWritable(frame, path);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory)) throw new InputException(path, null, $"the folder {directory} does not exist: nothing written");
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            if (resolved == "db")
            {
                if (IsGzip(path)) throw new InputException(path, null, "a database is written uncompressed (drop .gz)");
                AseDatabase.Write(temporary, list);
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                File.Move(temporary, path, overwrite: true);
                return;
            }
            if (resolved == "traj")
            {
                if (IsGzip(path)) throw new InputException(path, null, "a .traj is written uncompressed (drop .gz)");
                using (var binary = File.Create(temporary)) AseTrajectory.Write(binary, list);
                File.Move(temporary, path, overwrite: true);
                return;
            }
            using (var file = File.Create(temporary))
            using (Stream stream = IsGzip(path) ? new GZipStream(file, CompressionLevel.Optimal) : file)
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" })
                WriteText(writer, list, resolved, path);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void Write(string path, Structure structure, string? format = null) => Write(path, [structure], format);

    public static void WriteText(TextWriter writer, IReadOnlyList<Structure> frames, string format, string? fileName = null)
    {
        foreach (var frame in frames) FiniteValues.RequireWritable(frame, fileName);
        switch (ResolveFormat("", format))
        {
            case "extxyz" or "xyz":
                using (var xyz = new ExtXyzWriter(writer, leaveOpen: true))
                    foreach (var s in frames) xyz.Write(s);
                break;
            case "lammps-dump":
                using (var dump = new LammpsDumpWriter(writer, leaveOpen: true))
                    foreach (var s in frames) dump.Write(s);
                break;
            case "traj" or "db":
                throw new InputException(fileName, null, $"{format} is binary: write it to a file");
            case var f when frames.Count != 1:
                throw new InputException(fileName, null, $"{f} holds one structure, not {frames.Count}");
            case "cif":
                CifWriter.Write(writer, frames[0], fileName);
                break;
            case "lammps-data":
                LammpsDataWriter.Write(writer, frames[0], fileName);
                break;
            default:
                PoscarWriter.Write(writer, frames[0], fileName);
                break;
        }
    }
}
