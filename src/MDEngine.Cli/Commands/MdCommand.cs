using System.CommandLine;
using System.Globalization;
using MDEngine.Dynamics;
using MDEngine.IO;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Potentials.Formats;
using Spectre.Console;

namespace MDEngine.Cli.Commands;

/// <summary>
/// <c>mdengine md FILE --potential SPEC --ensemble ... --timestep FS --steps N</c>: molecular dynamics from the last
/// frame of FILE. Velocities come from the file when it has them, else from a Maxwell–Boltzmann draw at --temperature
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
        var file = new Argument<string>("file") { Description = "Structure file (its last frame is used)." };
        var potential = new Option<string>("--potential") { Description = $"Potential: {potentials.Help}.", DefaultValueFactory = _ => "auto" };
        var ensemble = new Option<string>("--ensemble") { Description = "nve, langevin, bussi, nose-hoover, berendsen, npt-crescale or npt-mtk.", DefaultValueFactory = _ => "nve" };
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
        // --fix, as in relax; --fixed is the earlier name, still accepted.
        var fixedAtoms = new Option<string?>("--fix", "--fixed") { Description = "Atoms held fixed, 0-based indices and ranges: 0,3,10-15." };
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

        var command = new Command("md", "Run molecular dynamics (NVE, NVT or NPT).");
        command.Arguments.Add(file);
        foreach (var o in new Option[] { potential, ensemble, timestep, steps, temperature, pressure, friction, tauT, tauP, compressibility, cell, chain, seed,
                     exact, newVelocities, fixedAtoms, trajectory, every, log, logEvery, thermoEvery, checkpoint, checkpointEvery, restart, minDistance, skin, neighModify, format })
            command.Options.Add(o);

        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string name = parse.GetValue(ensemble)!.ToLowerInvariant();
            double dt = parse.GetValue(timestep);
            long total = parse.GetValue(steps);
            if (total < 0) throw new UsageException("--steps must not be negative");
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
            bool thermostatted = name is not "nve";
            if (thermostatted && t is null) throw new UsageException($"--ensemble {name} needs --temperature");
            string? restartPath = parse.GetValue(restart);

            var integrator = Usage(() => CreateIntegrator(name, dt, t ?? 0, parse.GetValue(friction) / 1000, parse.GetValue(tauT), parse.GetValue(tauP),
                parse.GetValue(pressure) / MdUnits.GPaPerEvPerA3, parse.GetValue(compressibility) * MdUnits.GPaPerEvPerA3,
                parse.GetValue(cell)!, parse.GetValue(chain), parse.GetValue(seed)));

            MdState state;
            if (restartPath is not null)
            {
                if (!File.Exists(restartPath)) throw new FileNotFoundException($"checkpoint {restartPath} not found", restartPath);
                state = Checkpoint.Read(restartPath, integrator);
            }
            else
            {
                var structure = StructureFile.ReadFrame(parse.GetValue(file)!, format: parse.GetValue(format));
                var fixedList = ParseAtoms(parse.GetValue(fixedAtoms), structure.Count);
                bool hasVelocities = structure.Velocities is not null && !parse.GetValue(newVelocities);
                state = new MdState(structure, fixedList);
                if (!hasVelocities)
                {
                    if (t is null && name == "nve") throw new UsageException($"{parse.GetValue(file)} has no velocities: give --temperature for initial velocities");
                    MaxwellBoltzmann.Assign(state, t ?? 0, parse.GetValue(seed), zeroMomentum: true, parse.GetValue(exact), integrator.ConservesMomentum);
                }
            }

            var pot = potentials.Parse(parse.GetValue(potential)!, state.Structure.Numbers.Distinct().ToArray());
            pot.CheckCovers(state.Structure);
            CloseContacts.Require(state.Structure, restartPath ?? parse.GetValue(file), parse.GetValue(minDistance),
                "--min-distance sets a smaller bound (Å)");
            var policy = parse.GetValue(neighModify) is { } modify
                ? Usage(() => { try { return NeighborUpdatePolicy.Parse(modify); } catch (FormatException e) { throw new ArgumentException($"--neigh-modify {e.Message}"); } })
                : NeighborUpdatePolicy.Safe;
            var forces = new ForceEvaluator(pot, skinValue, policy)
            {
                BlowUp = Usage(() => new BlowUpDetector(parse.GetValue(minDistance))),
            };
            var md = restartPath is null ? new MolecularDynamics(state, integrator, forces) : MolecularDynamics.Resume(state, integrator, forces);

            bool append = restartPath is not null;
            var disposables = new List<IDisposable>();
            TrajectoryObserver? frames = null;
            CheckpointObserver? checkpoints = null;
            try
            {
                // Observers run in the order added: the trajectory frame of a step is on disk before its log row,
                // so an interrupted run never has a log ahead of its trajectory.
                if (parse.GetValue(trajectory) is { } trajectoryPath)
                {
                    if (append) TruncateTrajectory(trajectoryPath, state.Step);
                    frames = TrajectoryObserver.ToFile(trajectoryPath, parse.GetValue(every), append);
                    disposables.Add(frames); md.Observers.Add(frames);
                }
                if (parse.GetValue(log) is { } logPath)
                {
                    if (append) TruncateLog(logPath, state.Step);
                    var thermo = ThermoLogObserver.ToFile(logPath, parse.GetValue(logEvery) ?? parse.GetValue(every), append);
                    disposables.Add(thermo); md.Observers.Add(thermo);
                }
                if (parse.GetValue(checkpoint) is { } checkpointPath)
                    md.Observers.Add(checkpoints = new CheckpointObserver(checkpointPath, parse.GetValue(checkpointEvery)));

                long remaining = Math.Max(0, total - state.Step);
                // A terminal gets a progress bar; anything else (a file, a pipe, a test) gets thermo lines.
                bool terminal = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
                if (!terminal)
                    md.Observers.Add(new ThermoLinesObserver(output, parse.GetValue(thermoEvery) ?? parse.GetValue(logEvery) ?? parse.GetValue(every)));
                try
                {
                    if (terminal && remaining > 0) RunWithProgress(md, remaining);
                    else md.Run(remaining);
                }
                catch (MdBlowUpException e)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}; {WhatWasKept(frames, checkpoints, append)}");
                    return BlewUp;
                }
            }
            finally
            {
                foreach (var d in disposables) d.Dispose();
            }

            var last = md.Sample();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"md {integrator.Name}: step {last.Step}, t = {last.TimePs:F3} ps, T = {last.Temperature:F2} K, E_pot = {last.PotentialEnergy:F6} eV, " +
                $"conserved = {last.ConservedEnergy:F6} eV{(last.PressureGPa is { } p ? $", P = {p:F4} GPa" : "")}, {md.NsPerDay:F3} ns/day, {md.AtomStepsPerSecond:E3} atom-steps/s"));
            return 0;
        });
        return command;
    }

    private static Integrator CreateIntegrator(string name, double dt, double temperature, double frictionPerFs, double tauT, double tauP,
        double pressure, double compressibility, string cell, int chain, ulong seed) => name switch
    {
        "nve" => new VelocityVerlet(dt),
        "langevin" => new Langevin(dt, temperature, frictionPerFs, seed),
        "bussi" => new Bussi(dt, temperature, tauT, seed),
        "nose-hoover" => new NoseHoover(dt, temperature, tauT, chain),
        "berendsen" => new Berendsen(dt, temperature, tauT),
        "npt-crescale" => new CRescale(dt, temperature, tauT, pressure, tauP, compressibility, cell.ToLowerInvariant() switch
        {
            "isotropic" => CellCoupling.Isotropic,
            "anisotropic" or "triclinic" => CellCoupling.Anisotropic,
            _ => throw new ArgumentException($"--cell must be isotropic or anisotropic, not '{cell}'"),
        }, seed),
        "npt-mtk" => new MtkNpt(dt, temperature, tauT, pressure, tauP, chain),
        _ => throw new ArgumentException($"unknown ensemble '{name}' (nve, langevin, bussi, nose-hoover, berendsen, npt-crescale, npt-mtk)"),
    };

    /// <summary>What a run that blew up leaves behind, said exactly: nothing of the bad step is ever written.</summary>
    private static string WhatWasKept(TrajectoryObserver? frames, CheckpointObserver? checkpoints, bool restarted)
    {
        var kept = new List<string>();
        if (frames?.LastStep is { } frame) kept.Add($"the trajectory ends with the frame of step {frame}");
        if (checkpoints?.LastStep is { } saved) kept.Add($"the checkpoint is from step {saved}");
        else if (checkpoints is not null && restarted) kept.Add("the checkpoint was not rewritten");
        if (kept.Count == 0) return frames is null && checkpoints is null ? "no trajectory or checkpoint was requested" : "no frame or checkpoint was written";
        return string.Join(" and ", kept);
    }

    /// <summary>Turns an argument error of the dynamics classes into a usage error (exit code 2, one line).</summary>
    private static T Usage<T>(Func<T> create)
    {
        try { return create(); }
        catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
    }

    /// <summary>Parses "0,3,10-19" into atom indices.</summary>
    private static List<int> ParseAtoms(string? text, int count)
    {
        var atoms = new List<int>();
        if (string.IsNullOrWhiteSpace(text)) return atoms;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-');
            if (ends.Length is < 1 or > 2 || !ends.All(e => int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new UsageException($"--fix: '{part}' is not an atom index or range");
            int from = int.Parse(ends[0], CultureInfo.InvariantCulture), to = int.Parse(ends[^1], CultureInfo.InvariantCulture);
            if (from > to || to >= count) throw new UsageException($"--fix: '{part}' is outside atoms 0-{count - 1}");
            for (int i = from; i <= to; i++) atoms.Add(i);
        }
        return atoms;
    }

    /// <summary>Drops log rows written after the checkpoint a run restarts from, so the log reads as one run.</summary>
    private static void TruncateLog(string path, long step)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path);
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(l => long.TryParse(l.Split(',')[0], CultureInfo.InvariantCulture, out long s) && s <= step)).ToArray();
        string temporary = path + ".tmp";
        File.WriteAllLines(temporary, kept);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Drops trajectory frames written after the checkpoint a run restarts from. Works on the text (atom
    /// count, comment line with step=N, atom lines) so that kept frames stay byte for byte as written.</summary>
    private static void TruncateTrajectory(string path, long step)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path);
        var kept = new List<string>(lines.Length);
        for (int at = 0; at < lines.Length;)
        {
            if (string.IsNullOrWhiteSpace(lines[at])) { at++; continue; }
            if (!int.TryParse(lines[at].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int atoms) || at + 1 >= lines.Length)
                throw new InputException(path, at + 1, "not an extended XYZ trajectory written by mdengine md");
            var match = System.Text.RegularExpressions.Regex.Match(lines[at + 1], @"(?:^|\s)step=(\d+)");
            int end = Math.Min(lines.Length, at + 2 + atoms);
            if (!match.Success || long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) <= step) kept.AddRange(lines[at..end]);
            at = end;
        }
        if (kept.Count == lines.Length) return;
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    private static void RunWithProgress(MolecularDynamics md, long steps)
    {
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("md", maxValue: steps);
                var progress = new ProgressObserver(task, (int)Math.Max(1, steps / 500), md.State.Step);
                md.Observers.Add(progress);
                try { md.Run(steps); }
                finally { md.Observers.Remove(progress); }
                task.Value = steps;
            });
    }

    /// <summary>Advances the progress bar and shows the speed in ns/day and atom-steps per second.</summary>
    private sealed class ProgressObserver(ProgressTask task, int interval, long firstStep) : MdObserver(interval)
    {
        public override void Observe(MolecularDynamics md)
        {
            task.Value = md.State.Step - firstStep;
            task.Description = string.Create(CultureInfo.InvariantCulture,
                $"step {md.State.Step}  {md.NsPerDay:F2} ns/day  {md.AtomStepsPerSecond:E2} atom-steps/s");
        }
    }
}
