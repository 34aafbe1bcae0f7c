using System.CommandLine;
using System.Globalization;
using MDEngine.Dynamics;
using MDEngine.IO;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using Spectre.Console;
using MDEngine.Potentials.Formats;

namespace MDEngine.Cli.Commands;

/// <summary>
/// <c>mdengine md FILE... --potential SPEC --ensemble ... --timestep FS --steps N [--replicas K]</c>: molecular
/// dynamics from the last frame of each FILE, a thin layer over <see cref="MdRunner"/>. Several files or replicas run
/// side by side with one potential call per step for all, each with its own files (md.r0.extxyz, ...). Velocities come from the file when it has them, else from a Maxwell–Boltzmann draw at --temperature
/// (seeded, zero total momentum). --steps is the total length of the run: a run restarted from a checkpoint continues
/// up to it, appending to the log and trajectory, and gives bit for bit the result of the uninterrupted run.
/// Options, output folders and the structure (elements covered, no overlapping atoms) are checked before any file
/// is opened. A run that blows up stops with a one-line message saying what it kept, and exit code 3.
/// </summary>
internal static class MdCommand
{
    public const int BlewUp = 3;

    /// <summary>Longest time step accepted (fs): far beyond any stable atomistic integration.</summary>
    public const double MaxTimestep = 100;

    /// <summary>Highest temperature accepted (K).</summary>
    public const double MaxTemperature = 1e5;

    /// <summary>Largest neighbor-list skin accepted (Å).</summary>
    public const double MaxSkin = 10;

    public static Command Create(PotentialRegistry potentials)
    {
        var files = new Argument<string[]>("files") { Description = "Structure files (the last frame of each is used); several run side by side.", Arity = ArgumentArity.OneOrMore };
        var replicas = new Option<int>("--replicas") { Description = "Runs of each structure, side by side with one potential call per step for all; run k draws its velocities and thermostat noise from --seed + k, and writes its own files (md.extxyz → md.r0.extxyz, md.r1.extxyz, ...).", DefaultValueFactory = _ => 1 };
        var potential = new Option<string>("--potential") { Description = $"Potential: {potentials.Help}.", DefaultValueFactory = _ => "auto" };
        var ensemble = new Option<string>("--ensemble") { Description = "One of: " + string.Join("; ", EnsembleRegistry.All.Select(k => $"{k.Name} ({k.Description}{(k.Options.Count > 0 ? ", reads --" + string.Join(", --", k.Options) : "")})")) + ".", DefaultValueFactory = _ => "nve" };
        var timestep = new Option<double>("--timestep") { Description = "Time step (fs).", DefaultValueFactory = _ => 1.0 };
        var steps = new Option<long>("--steps") { Description = "Total number of steps of the run.", Required = true };
        var temperature = new Option<double?>("--temperature") { Description = "Target temperature (K); also the temperature of initial velocities." };
        var pressure = new Option<double>("--pressure") { Description = "Target pressure (GPa) for NPT.", DefaultValueFactory = _ => 0.0 };
        var friction = new Option<double>("--friction") { Description = "Langevin friction (1/ps).", DefaultValueFactory = _ => 2.0 };
        var tauT = new Option<double>("--tau-t") { Description = "Thermostat time constant (fs).", DefaultValueFactory = _ => 100.0 };
        var tauP = new Option<double>("--tau-p") { Description = "Barostat time constant (fs).", DefaultValueFactory = _ => 1000.0 };
        var compressibility = new Option<double>("--compressibility") { Description = "Compressibility used by C-rescale (1/GPa); only sets its relaxation time.", DefaultValueFactory = _ => 0.01 };
        var cell = new Option<string>("--cell") { Description = "C-rescale cell coupling: isotropic or anisotropic (triclinic).", DefaultValueFactory = _ => "isotropic" };
        var chain = new Option<int>("--chain") { Description = "Nosé–Hoover chain length.", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed for initial velocities and stochastic integrators.", DefaultValueFactory = _ => 1UL };
        var exact = new Option<bool>("--exact-temperature") { Description = "Scale initial velocities to exactly --temperature." };
        var newVelocities = new Option<bool>("--new-velocities") { Description = "Draw initial velocities even when the file has some." };
        var fixedAtoms = new Option<string?>("--fix") { Description = "Atoms held fixed, 0-based indices and ranges: 0,3,10-15 (as relax's --fix)." };
        // The earlier name, still read from old scripts; not shown in help.
        var fixedAlias = new Option<string?>("--fixed") { Hidden = true };
        var trajectory = new Option<string?>("--trajectory") { Description = "Trajectory: extended XYZ (.extxyz, .xyz: positions, velocities, forces, energy, stress) or LAMMPS dump (.lammpstrj, .dump)." };
        var every = new Option<int>("--every") { Description = "Steps between trajectory frames.", DefaultValueFactory = _ => 100 };
        var log = new Option<string?>("--log") { Description = "Thermodynamic log (CSV)." };
        var logEvery = new Option<int?>("--log-every") { Description = "Steps between log rows (default: --every)." };
        var thermoEvery = new Option<int?>("--thermo") { Description = "Steps between thermo lines on standard output when it is not a terminal (default: --log-every, else --every); on a terminal a progress bar shows instead." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint file, rewritten atomically." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => 1000 };
        var restart = new Option<string?>("--restart") { Description = "Continue from this checkpoint." };
        var minDistance = new Option<double?>("--min-distance") { Description = "Refuse a structure, and stop the run, when two atoms are closer (Å); default half the sum of their covalent radii." };
        var skin = new Option<double>("--skin") { Description = "Neighbor-list skin (Å).", DefaultValueFactory = _ => 1.0 };
        var format = new Option<string?>("--format") { Description = "Input format: extxyz, xyz, cif, vasp, lammps-data, lammps-dump, traj or db (default: from the file name)." };
        var neighModify = new Option<string?>("--neigh-modify") { Description = "When the neighbor list may rebuild, as LAMMPS's neigh_modify: e.g. 'every 10 delay 0 check no' (default: every 1 delay 0 check yes, which never misses a pair)." };

        var command = new Command("md", "Run molecular dynamics (NVE, NVT or NPT), of one structure or of several side by side.");
        command.Arguments.Add(files);
        foreach (var o in new Option[] { potential, ensemble, timestep, steps, temperature, pressure, friction, tauT, tauP, compressibility, cell, chain, seed,
                     exact, newVelocities, fixedAtoms, fixedAlias, replicas, trajectory, every, log, logEvery, thermoEvery, checkpoint, checkpointEvery, restart, minDistance, skin, neighModify, format })
            command.Options.Add(o);

        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string name = parse.GetValue(ensemble)!.ToLowerInvariant();
            var kind = EnsembleRegistry.Find(name) ?? throw new UsageException($"--ensemble {name}: expected one of {EnsembleRegistry.Names}");
            double dt = parse.GetValue(timestep);
            long total = parse.GetValue(steps);
            if (total < 0) throw new UsageException("--steps must not be negative");
            if (parse.GetValue(replicas) < 1) throw new UsageException("--replicas must be at least 1");
            if (parse.GetValue(every) < 1) throw new UsageException("--every must be at least 1");
            if (parse.GetValue(logEvery) is < 1) throw new UsageException("--log-every must be at least 1");
            if (parse.GetValue(thermoEvery) is < 1) throw new UsageException("--thermo must be at least 1");
            if (parse.GetValue(checkpointEvery) < 1) throw new UsageException("--checkpoint-every must be at least 1");
            if (!(dt > 0 && dt <= MaxTimestep)) throw new UsageException(FormattableString.Invariant($"--timestep {dt}: expected a time step above 0 and at most {MaxTimestep} fs"));
            double? t = parse.GetValue(temperature);
            if (t is { } kelvin && !(kelvin >= 0 && kelvin <= MaxTemperature))
                throw new UsageException(FormattableString.Invariant($"--temperature {kelvin}: expected 0 to {MaxTemperature:G} K"));
            double skinValue = parse.GetValue(skin);
            if (!(skinValue >= 0 && skinValue <= MaxSkin)) throw new UsageException(FormattableString.Invariant($"--skin {skinValue}: expected 0 to {MaxSkin} Å"));
            if (parse.GetValue(minDistance) is { } floor && !(floor > 0 && double.IsFinite(floor))) throw new UsageException("--min-distance must be a positive distance");
            if (parse.GetValue(trajectory) is { } trajectoryName)
            {
                OutputChecks.RequireTrajectoryFormat("--trajectory", trajectoryName);
                if (parse.GetValue(restart) is not null && StructureFile.ResolveFormat(trajectoryName) == "lammps-dump")
                    throw new UsageException("--restart continues extended XYZ trajectories only: name the trajectory .extxyz");
            }
            if (parse.GetValue(log) is { } logName) OutputChecks.RequireDirectory("--log", logName);
            if (parse.GetValue(checkpoint) is { } checkpointName) OutputChecks.RequireDirectory("--checkpoint", checkpointName);
            if (kind.NeedsTemperature && t is null) throw new UsageException($"--ensemble {name} needs --temperature");
            var policy = parse.GetValue(neighModify) is { } modify
                ? Usage(() => { try { return NeighborUpdatePolicy.Parse(modify); } catch (FormatException e) { throw new ArgumentException($"--neigh-modify {e.Message}"); } })
                : NeighborUpdatePolicy.Safe;
            int frameEvery = parse.GetValue(every);
            // A terminal gets a progress bar; anything else (a file, a pipe, a test) gets thermo lines.
            bool terminal = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
            string? inputFormat = parse.GetValue(format);
            var settings = new MdSettings
            {
                Inputs = parse.GetValue(files)!.Select(f => MdInput.FromFile(f, inputFormat)).ToArray(),
                Replicas = parse.GetValue(replicas),
                Potential = elements => potentials.Parse(parse.GetValue(potential)!, elements),
                Ensemble = kind.Name,
                Integrator = new IntegratorSettings
                {
                    TimeStep = dt, FrictionPerPs = parse.GetValue(friction), TauT = parse.GetValue(tauT), TauP = parse.GetValue(tauP),
                    PressureGPa = parse.GetValue(pressure), CompressibilityPerGPa = parse.GetValue(compressibility),
                    Cell = Usage(() => EnsembleRegistry.ParseCellCoupling(parse.GetValue(cell)!)), Chain = parse.GetValue(chain),
                },
                Temperature = t, Steps = total, Seed = parse.GetValue(seed),
                ExactTemperature = parse.GetValue(exact), NewVelocities = parse.GetValue(newVelocities),
                Fixed = AtomIndices.Parse(parse.GetValue(fixedAtoms) ?? parse.GetValue(fixedAlias)),
                MinDistance = parse.GetValue(minDistance), MinDistanceHint = "--min-distance sets a smaller bound (Å)",
                Skin = skinValue, NeighborPolicy = policy,
                Trajectory = parse.GetValue(trajectory), TrajectoryEvery = frameEvery,
                Log = parse.GetValue(log), LogEvery = parse.GetValue(logEvery) ?? frameEvery,
                Checkpoint = parse.GetValue(checkpoint), CheckpointEvery = parse.GetValue(checkpointEvery),
                Restart = parse.GetValue(restart),
                ThermoOutput = terminal ? null : output,
                ThermoEvery = parse.GetValue(thermoEvery) ?? parse.GetValue(logEvery) ?? frameEvery,
            };

            using var runner = Usage(() => MdRunner.Open(settings));
            var report = terminal && runner.Runs.Any(r => r.Remaining > 0) ? RunWithProgress(runner) : runner.Run();
            var error = parse.InvocationConfiguration.Error;
            bool several = report.Runs.Count > 1;
            foreach (var run in report.Runs)
            {
                string label = several ? $"r{run.Index} ({run.Name}) " : "";
                if (run.BlowUp is { } e)
                {
                    error.WriteLine($"error: {(several ? $"run {label.TrimEnd()}: " : "")}{e.Message}; {run.Kept}");
                    continue;
                }
                var last = run.Last;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"md {label}{report.Integrator}: step {last.Step}, t = {last.TimePs:F3} ps, T = {last.Temperature:F2} K, E_pot = {last.PotentialEnergy:F6} eV, " +
                    $"conserved = {last.ConservedEnergy:F6} eV{(last.PressureGPa is { } p ? $", P = {p:F4} GPa" : "")}, {run.NsPerDay:F3} ns/day, {run.AtomStepsPerSecond:E3} atom-steps/s"));
            }
            return report.BlewUp ? BlewUp : 0;
        });
        return command;
    }

    /// <summary>Turns an argument error of the dynamics classes into a usage error (exit code 2, one line).</summary>
    private static T Usage<T>(Func<T> create)
    {
        try { return create(); }
        catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
    }

    /// <summary>Runs with a progress bar over the steps of the slowest run, showing the speed in ns/day and
    /// atom-steps per second (summed over the runs).</summary>
    private static MdReport RunWithProgress(MdRunner runner)
    {
        MdReport? report = null;
        long steps = runner.Runs.Max(r => r.Remaining), first = runner.Runs.Min(r => r.Dynamics.State.Step);
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("md", maxValue: steps);
                var progress = new ProgressLine(task, runner, first);
                foreach (var run in runner.Runs) run.Dynamics.Observers.Add(progress.ObserverFor((int)Math.Max(1, steps / 500)));
                report = runner.Run();
                task.Value = steps;
            });
        return report!;
    }

    /// <summary>Advances the progress bar to the step the runs have reached and shows their speed.</summary>
    private sealed class ProgressLine(ProgressTask task, MdRunner runner, long firstStep)
    {
        private readonly object _lock = new();

        public MdObserver ObserverFor(int interval) => new Member(this, interval);

        private void Observe(MolecularDynamics md)
        {
            lock (_lock)
            {
                task.Value = Math.Max(task.Value, md.State.Step - firstStep);
                double nsPerDay = md.NsPerDay, atomSteps = runner.Runs.Sum(r => r.Dynamics.AtomStepsPerSecond);
                string runs = runner.Runs.Count > 1 ? $"{runner.Runs.Count} runs  " : "";
                task.Description = string.Create(CultureInfo.InvariantCulture, $"{runs}step {md.State.Step}  {nsPerDay:F2} ns/day  {atomSteps:E2} atom-steps/s");
            }
        }

        private sealed class Member(ProgressLine line, int interval) : MdObserver(interval)
        {
            public override void Observe(MolecularDynamics md) => line.Observe(md);
        }
    }
}
