using System.CommandLine;
using System.Globalization;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Potentials.Formats;
using MDEngine.Structures;
using MDEngine.Workflows;
using Spectre.Console;

namespace MDEngine.Cli.Commands;

/// <summary>
/// <c>mdengine relax FILE... --output OUT</c>: relaxes every frame of every input to fmax, all structures in one
/// batch (one potential call per step for all that have not converged yet). Writes each relaxed structure with its
/// energy, forces and stress to OUT; a structure that did not converge is reported on a "NOT converged" line, its
/// lowest-energy state is written, and the exit code is 3.
/// </summary>
internal static class RelaxCommand
{
    public const int NotConverged = 3;
    private const double GPaPerEvA3 = 160.21766208;

    public static Command Create(PotentialRegistry potentials)
    {
        var files = new Argument<string[]>("files") { Description = "Structure files (every frame is relaxed).", Arity = ArgumentArity.OneOrMore };
        var potential = new Option<string>("--potential") { Description = $"Potential: {potentials.Help}.", DefaultValueFactory = _ => "auto" };
        var optimizer = new Option<string>("--optimizer") { Description = $"One of {OptimizerRegistry.Names} (ASE's algorithms and defaults).", DefaultValueFactory = _ => "lbfgs" };
        var lineSearch = new Option<bool>("--line-search") { Description = "With bfgs or lbfgs: choose each step's length by a Wolfe line search." };
        var fmax = new Option<double>("--fmax") { Description = "Converged when every atom's force (and the cell's generalized force) is below this, eV/Å.", DefaultValueFactory = _ => 0.05 };
        var steps = new Option<int>("--steps") { Description = "Most optimizer steps per structure.", DefaultValueFactory = _ => 1000 };
        var cell = new Option<bool>("--cell") { Description = "Relax the cell too (Fréchet cell filter, as ASE's FrechetCellFilter)." };
        var pressure = new Option<double>("--pressure") { Description = "External pressure, GPa (with --cell).", DefaultValueFactory = _ => 0.0 };
        var hydrostatic = new Option<bool>("--hydrostatic") { Description = "With --cell: only scale the cell, keeping its shape." };
        var constantVolume = new Option<bool>("--constant-volume") { Description = "With --cell: change the cell's shape at constant volume." };
        var mask = new Option<string?>("--mask") { Description = "With --cell: which strain components relax, six 0/1 flags in Voigt order xx,yy,zz,yz,xz,xy (ASE's mask), e.g. 1,1,0,0,0,0." };
        var fix = new Option<string?>("--fix") { Description = "Atoms to keep fixed, 0-based indices and ranges: 0,3,10-15." };
        var output = new Option<string>("--output", "-o") { Description = "File to write the relaxed structures to (extxyz keeps energy, forces, stress).", Required = true };
        var trajectory = new Option<string?>("--trajectory") { Description = "Extended XYZ file receiving every step of every structure." };
        var keepSymmetry = new Option<bool>("--keep-symmetry") { Description = "Keep each structure's space group: the structure is symmetrized first, then forces, stress and steps are (as ASE's FixSymmetry)." };
        var symprec = new Option<double>("--symprec") { Description = "Distance tolerance (Å) for finding space groups, as in the symmetry command.", DefaultValueFactory = _ => SymmetryCommand.DefaultSymprec };
        var format = new Option<string?>("--format") { Description = "Input format: extxyz, xyz, cif, vasp, lammps-data, lammps-dump, traj or db (default: from the file name)." };
        var minDistance = new Option<double?>("--min-distance") { Description = "Refuse structures with two atoms closer than this (Å); default half the sum of their covalent radii." };

        var command = new Command("relax", "Relax structures (positions, optionally the cell) to a force threshold. " +
            "Exit code 3 when a structure did not converge within --steps (its lowest-energy state is written).");
        command.Arguments.Add(files);
        foreach (var o in new Option[] { potential, optimizer, lineSearch, fmax, steps, cell, pressure, hydrostatic, constantVolume, mask, fix, output, trajectory, keepSymmetry, symprec, format, minDistance })
            command.Options.Add(o);

        command.SetAction(parse =>
        {
            var log = parse.InvocationConfiguration.Output;
            var inv = CultureInfo.InvariantCulture;
            // Option values are checked against each other here, before any input is read, and against the inputs
            // by RelaxRunner.Check, before any work.
            var strainMask = ParseMask(parse.GetValue(mask));
            double tolerance = parse.GetValue(symprec);
            if (!(tolerance > 0 && tolerance <= SymmetryCommand.MaxSymprec))
                throw new UsageException(FormattableString.Invariant($"--symprec {tolerance}: expected a distance above 0 and at most {SymmetryCommand.MaxSymprec} Å"));
            string outPath = parse.GetValue(output)!;
            string outFormat = StructureFile.ResolveFormat(outPath);
            OutputChecks.RequireDirectory("--output", outPath);
            if (parse.GetValue(trajectory) is { } trajectoryName) OutputChecks.RequireTrajectoryFormat("--trajectory", trajectoryName);
            double? floor = parse.GetValue(minDistance);
            if (floor is { } d && !(d > 0 && double.IsFinite(d))) throw new UsageException("--min-distance must be a positive distance");
            var settings = new RelaxSettings
            {
                Optimizer = parse.GetValue(optimizer)!.ToLowerInvariant(), LineSearch = parse.GetValue(lineSearch), Fmax = parse.GetValue(fmax), MaxSteps = parse.GetValue(steps),
                RelaxCell = parse.GetValue(cell), PressureGPa = parse.GetValue(pressure), Hydrostatic = parse.GetValue(hydrostatic),
                ConstantVolume = parse.GetValue(constantVolume), StrainMask = strainMask, FixedAtoms = AtomIndices.Parse(parse.GetValue(fix)),
                KeepSymmetry = parse.GetValue(keepSymmetry), Symprec = tolerance, MinDistance = floor,
                MinDistanceHint = "--min-distance sets a smaller bound (Å)", OutputPath = outPath, OutputFormat = outFormat,
                TrajectoryPath = parse.GetValue(trajectory),
            };
            RelaxRunner.CheckSettings(settings);

            // Read everything first: a bad input fails before any work or output.
            var inputs = new List<LabeledStructure>();
            foreach (var path in parse.GetValue(files)!)
            {
                var frames = StructureFile.Read(path, parse.GetValue(format));
                for (int f = 0; f < frames.Count; f++) inputs.Add(new(frames.Count > 1 ? $"{path} frame {f}" : path, frames[f]));
            }
            var pot = potentials.Parse(parse.GetValue(potential)!, inputs.SelectMany(i => i.Structure.Numbers).Distinct().Order().ToArray());
            RelaxRunner.Check(pot, inputs, settings);
            log.WriteLine($"potential: {pot.Name}");

            RelaxReport? report = null;
            if (!Console.IsOutputRedirected && ReferenceEquals(log, Console.Out))
                AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                {
                    var tasks = inputs.Select(i => ctx.AddTask(Markup.Escape(i.Structure.Formula), maxValue: Math.Max(1, settings.MaxSteps))).ToArray();
                    report = RelaxRunner.Run(pot, inputs, settings, (b, step, e) =>
                    {
                        tasks[b].Value = step;
                        tasks[b].Description = Markup.Escape(string.Format(inv, "{0} fmax {1:F4}", inputs[b].Structure.Formula, e.MaxForce));
                    });
                    foreach (var task in tasks) task.Value = task.MaxValue;
                });
            else report = RelaxRunner.Run(pot, inputs, settings);

            foreach (var relaxed in report!.Structures) Print(log, relaxed, settings);
            log.WriteLine($"wrote {report.Structures.Count} structure{(report.Structures.Count == 1 ? "" : "s")} to {outPath}" +
                (report.Failures > 0 ? $"; {report.Failures} NOT converged" : ""));
            return report.Failures > 0 ? NotConverged : 0;
        });
        return command;
    }

    private static void Print(TextWriter log, RelaxedStructure relaxed, RelaxSettings settings)
    {
        var inv = CultureInfo.InvariantCulture;
        var (r, keep) = (relaxed.Result, relaxed.Kept);
        // A relaxation stopped by a non-finite number prints what it kept, never "NaN".
        static string Number(double? x, string format) => x is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
        log.WriteLine(string.Format(inv, "{0} ({1}, {2} atoms): energy {3} -> {4} eV, {5} steps, {6} force calls, fmax {7} eV/Å",
            relaxed.Label, keep.Formula, keep.Count, Number(relaxed.InitialEnergy, "F6"),
            Number(keep.Energy ?? r.FinalEnergy, "F6"), r.Steps, r.ForceCalls, Number(r.Problem is null ? r.MaxForce : null, "F4")));
        if (relaxed.SpaceGroupBefore is not null) log.WriteLine($"  space group {relaxed.SpaceGroupBefore} -> {relaxed.SpaceGroupAfter}");
        if (settings.RelaxCell)
        {
            var p = keep.Cell.Parameters();
            log.WriteLine(string.Format(inv, "  cell: a={0:F6} b={1:F6} c={2:F6} Å α={3:F4} β={4:F4} γ={5:F4}°, volume {6:F4} Å³",
                p.A, p.B, p.C, p.Alpha, p.Beta, p.Gamma, keep.Volume));
            if (keep.Stress is { } st && st.IsFinite)
            {
                // ASE's sign (negative under compression) in GPa, and the pressure -tr(σ)/3 it implies.
                double[] voigt = [st.M00, st.M11, st.M22, st.M12, st.M02, st.M01];
                log.WriteLine(string.Format(inv, "  stress (GPa; xx yy zz yz xz xy): {0}; pressure {1:F4} GPa",
                    string.Join(" ", voigt.Select(x => (x * GPaPerEvA3).ToString("F4", inv))), -st.Trace / 3 * GPaPerEvA3));
            }
            if (settings.PressureGPa != 0 && keep.Energy is { } energy)
                log.WriteLine(string.Format(inv, "  enthalpy H = E + pV = {0:F6} eV at {1} GPa (the quantity minimised)",
                    energy + settings.PressureGPa / GPaPerEvA3 * keep.Volume, settings.PressureGPa));
        }
        if (r.Converged) log.WriteLine("  converged");
        else if (r.Problem is { } problem)
            log.WriteLine(string.Format(inv, "  STOPPED: {0}; wrote the last finite state{1}", problem,
                keep.Energy is { } e ? string.Format(inv, " ({0:F6} eV)", e) : " (the input structure: no finite state was reached)"));
        else
            log.WriteLine(string.Format(inv, "  NOT converged within {0} steps (fmax {1:F4} > {2} eV/Å); wrote the lowest-energy state ({3:F6} eV)",
                r.Steps, r.MaxForce, settings.Fmax, keep.Energy ?? double.NaN));
    }

    /// <summary>"1,1,0,0,0,0" (Voigt xx yy zz yz xz xy, as ASE's cell filters take it) into the 3×3 strain mask; null
    /// when not given.</summary>
    internal static Mat3? ParseMask(string? text)
    {
        if (text is null) return null;
        var flags = text.Split(',', StringSplitOptions.TrimEntries);
        if (flags.Length != 6 || flags.Any(f => f is not ("0" or "1")))
            throw new UsageException($"--mask {text}: expected six 0/1 flags in Voigt order xx,yy,zz,yz,xz,xy");
        if (flags.All(f => f == "0")) throw new UsageException("--mask: every strain component is fixed; drop --cell instead");
        return FrechetCellFilter.MaskFromVoigt(flags.Select(f => f == "1").ToArray());
    }
}
