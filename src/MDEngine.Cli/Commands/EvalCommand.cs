using System.CommandLine;
using System.Globalization;
using MDEngine.IO;
using MDEngine.Potentials;
using MDEngine.Potentials.Formats;
using MDEngine.Structures;
using MDEngine.Workflows;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine eval FILE... --potential SPEC [--output OUT.extxyz]</c>: single-point energy, forces and
/// stress of every frame, summarised on the terminal and optionally written as extended XYZ (energy=, stress= with
/// 9 numbers, forces column), as ASE's calculators store them. Structures with overlapping atoms are refused
/// before anything is computed; a non-finite result stops the command with exit code 3 and writes nothing.</summary>
internal static class EvalCommand
{
    public const int NonFiniteResult = 3;

    private const double GPaPerEvA3 = 160.21766208;

    public static Command Create(PotentialRegistry potentials)
    {
        var files = new Argument<string[]>("files") { Description = "Structure files (extxyz, xyz, cif, POSCAR/CONTCAR/.vasp).", Arity = ArgumentArity.OneOrMore };
        var potentialOption = new Option<string>("--potential", "-p")
        {
            Description = $"Potential: {potentials.Help}.",
            DefaultValueFactory = _ => "auto",
        };
        var outputOption = new Option<string?>("--output", "-o") { Description = "Write every frame with its results to this extended XYZ file." };
        var format = new Option<string?>("--format") { Description = "Input format: extxyz, xyz, cif, vasp, lammps-data, lammps-dump, traj or db (default: from each file name)." };
        var minDistance = new Option<double?>("--min-distance") { Description = "Refuse structures with two atoms closer than this (Å); default half the sum of their covalent radii." };
        var command = new Command("eval", "Evaluate energy, forces and stress of every frame with a potential.");
        command.Arguments.Add(files);
        command.Options.Add(potentialOption);
        command.Options.Add(outputOption);
        command.Options.Add(format);
        command.Options.Add(minDistance);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var inputs = parse.GetValue(files)!;
            if (parse.GetValue(outputOption) is { } target) OutputChecks.RequireExtXyz("--output", target);
            double? floor = parse.GetValue(minDistance);
            if (floor is { } d && !(d > 0 && double.IsFinite(d))) throw new UsageException("--min-distance must be a positive distance");
            var frames = new List<LabeledStructure>();
            foreach (var path in inputs)
            {
                var read = StructureFile.Read(path, parse.GetValue(format));
                for (int f = 0; f < read.Count; f++) frames.Add(new(read.Count > 1 || inputs.Length > 1 ? $"{path}[{f}]" : path, read[f]));
            }
            var potential = potentials.Parse(parse.GetValue(potentialOption)!, frames.SelectMany(f => f.Structure.Numbers).Distinct().Order().ToArray());
            var settings = new EvalSettings { MinDistance = floor, MinDistanceHint = "--min-distance sets a smaller bound (Å)", OutputPath = parse.GetValue(outputOption) };
            EvalRunner.Check(potential, frames, settings);
            output.WriteLine($"potential: {potential.Name} (cutoff {potential.Cutoff.ToString("0.###", CultureInfo.InvariantCulture)} Å)");

            var report = EvalRunner.Run(potential, frames, settings);
            foreach (var e in report.Structures) output.WriteLine(Summary(e.Label, e.Structure, e.Result));
            if (report.Problem is { } problem)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {report.ProblemLabel}: {problem}; nothing was written");
                return NonFiniteResult;
            }
            if (settings.OutputPath is { } outPath) output.WriteLine($"wrote {frames.Count} frame{(frames.Count == 1 ? "" : "s")} to {outPath}");
            return 0;
        });
        return command;
    }

    private static string Summary(string label, Structure s, PotentialResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        double maxForce = r.Forces is { Length: > 0 } f ? f.Max(v => v.Length) : 0;
        string pressure = r.Stress is { } stress ? string.Format(inv, "{0:F4} GPa", -stress.Trace / 3 * GPaPerEvA3) : "n/a (not periodic)";
        return string.Format(inv, "{0}: {1} atoms  E = {2:F6} eV  E/atom = {3:F6} eV  max|F| = {4:F6} eV/Å  pressure = {5}",
            label, s.Count, r.Energy, s.Count > 0 ? r.Energy / s.Count : 0, maxForce, pressure);
    }
}
