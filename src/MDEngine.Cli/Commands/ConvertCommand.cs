using System.CommandLine;
using MDEngine.IO;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine convert IN OUT</c>: converts between structure file formats. The input is read completely
/// before anything is written, and the output appears only when complete, so a bad input never leaves OUT behind.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in") { Description = "Input structure file." };
        var output = new Argument<string>("out") { Description = "Output structure file." };
        // --format names the input format as in every other command; --in-format stays as an alias.
        var inFormat = new Option<string?>("--format", "--in-format") { Description = "Input format: extxyz, xyz, cif, vasp, lammps-data, lammps-dump, traj or db (default: from the file name)." };
        var outFormat = new Option<string?>("--out-format") { Description = "Output format: extxyz, xyz, cif, vasp, lammps-data, lammps-dump, traj or db (default: from the name)." };
        var frame = new Option<int?>("--frame") { Description = "Convert only this frame (0-based; negative counts from the end). Default: all frames." };
        var command = new Command("convert", "Convert a structure file to another format (all frames unless --frame is given).");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.Options.Add(inFormat);
        command.Options.Add(outFormat);
        command.Options.Add(frame);
        var keepPartial = ReadOptions.KeepPartialSites();
        command.Options.Add(keepPartial);
        command.SetAction(parse =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            string targetFormat = StructureFile.ResolveFormat(outPath, parse.GetValue(outFormat));
            IReadOnlyList<Structures.Structure> frames;
            if (parse.GetValue(frame) is { } index)
            {
                // ReadFrame parses only the chosen frame of a trajectory.
                try { frames = [StructureFile.ReadFrame(inPath, index, parse.GetValue(inFormat), ReadOptions.Cif(parse, keepPartial))]; }
                catch (InputException e) when (e.Line is null && e.Problem.StartsWith($"frame {index} does not exist"))
                {
                    throw new UsageException($"--frame {index}: {e.Message}");
                }
            }
            else frames = StructureFile.Read(inPath, parse.GetValue(inFormat), ReadOptions.Cif(parse, keepPartial));
            if (frames.Count > 1 && !StructureFile.MultiFrameFormats.Contains(targetFormat))
                throw new UsageException($"{inPath} has {frames.Count} frames but {targetFormat} holds one structure: choose one with --frame");
            StructureFile.Write(outPath, frames, targetFormat);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {frames.Count} frame{(frames.Count == 1 ? "" : "s")} to {outPath} ({targetFormat})");
            return 0;
        });
        return command;
    }
}
