using MDEngine.IO;

namespace MDEngine.Cli;

/// <summary>Checks on output paths made before anything is read, computed or opened, so that a run that cannot write
/// its results fails at once, with one line, and leaves nothing behind.</summary>
internal static class OutputChecks
{
    /// <summary>The folder that would receive <paramref name="path"/> must exist.</summary>
    public static void RequireDirectory(string option, string path)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory)) throw new UsageException($"{option} {path}: the folder {directory} does not exist");
        if (Directory.Exists(path)) throw new UsageException($"{option} {path}: is a folder, not a file name");
    }

    private const string TrajectoryNames = "a trajectory must be named .extxyz, .xyz, .lammpstrj or .dump";

    /// <summary>An output that holds results (energy, forces, stress) must be extended XYZ.</summary>
    public static void RequireExtXyz(string option, string path)
    {
        RequireDirectory(option, path);
        string format;
        try { format = StructureFile.ResolveFormat(path); }
        catch (InputException) { throw new UsageException($"{option} {path}: name the file .extxyz (energies, forces and stress need extended XYZ)"); }
        if (format is not ("extxyz" or "xyz"))
            throw new UsageException($"{option} {path}: {format} cannot hold energies, forces and stress: name the file .extxyz");
    }

    /// <summary>A trajectory holds many frames: its name must say a format that does (extended XYZ, plain .xyz,
    /// which is written as extended XYZ as ASE does, or a LAMMPS dump).</summary>
    public static void RequireTrajectoryFormat(string option, string path)
    {
        RequireDirectory(option, path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"{option} {path}: trajectories are written uncompressed, frame by frame (drop .gz)");
        string format;
        try { format = StructureFile.ResolveFormat(path); }
        catch (InputException) { throw new UsageException($"{option} {path}: {TrajectoryNames}"); }
        if (!StructureFile.TrajectoryFormats.Contains(format))
            throw new UsageException($"{option} {path}: {format} holds one structure; {TrajectoryNames}");
    }
}
