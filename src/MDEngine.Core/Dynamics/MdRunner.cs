using MDEngine.Neighbors;
using MDEngine.Potentials;

namespace MDEngine.Dynamics;

/// <summary>One run of an <see cref="MdRunner"/>: its index, name, dynamics and the outputs it writes.</summary>
public sealed class MdRun
{
    public required int Index { get; init; }
    /// <summary>The input it started from (or the checkpoint it continues).</summary>
    public required string Name { get; init; }
    public required MolecularDynamics Dynamics { get; init; }
    public TrajectoryObserver? Frames { get; init; }
    public CheckpointObserver? Checkpoints { get; init; }
    /// <summary>Steps left to reach the total of the settings.</summary>
    public required long Remaining { get; init; }
}

/// <summary>How one run ended: its last thermodynamic sample, its speed, and the blow-up that stopped it (with what
/// it left on disk, said exactly), if any.</summary>
public sealed record MdRunReport(int Index, string Name, ThermoSample Last, double NsPerDay, double AtomStepsPerSecond,
    MdBlowUpException? BlowUp, string? Kept);

/// <summary>How a job ended: one report per run, in run order.</summary>
public sealed record MdReport(string Integrator, IReadOnlyList<MdRunReport> Runs)
{
    public bool BlewUp => Runs.Any(r => r.BlowUp is not null);
}

/// <summary>
/// The molecular-dynamics workflow of <c>mdengine md</c> as a library call: settings in (<see cref="MdSettings"/>),
/// report out. <see cref="Open"/> reads and checks everything — ensemble, structures or checkpoints, fixed atoms,
/// elements the potential covers, overlapping atoms — before any output is opened, draws initial velocities where
/// needed, continues from checkpoints (cutting the log and trajectory back to them), and attaches the observers; a
/// caller may add its own to <see cref="Runs"/> before <see cref="Run"/>. One run steps alone; several (replicas,
/// or several structures) step side by side with one potential call per step for all (<see cref="ReplicaDynamics"/>),
/// each ending exactly as it would alone.
/// </summary>
public sealed class MdRunner : IDisposable
{
    private readonly List<IDisposable> _files = [];
    private readonly List<MdRun> _runs = [];
    private readonly string _integrator;

    public IReadOnlyList<MdRun> Runs => _runs;
    public MdSettings Settings { get; }

    private MdRunner(MdSettings settings, string integrator)
    {
        Settings = settings; _integrator = integrator;
    }

    /// <summary>The output name of run <paramref name="index"/> of <paramref name="count"/>: the name itself for a
    /// single run, else the index before the extension (md.extxyz → md.r0.extxyz).</summary>
    public static string ReplicaPath(string path, int index, int count)
    {
        if (count == 1) return path;
        string extension = Path.GetExtension(path);
        return path[..^extension.Length] + $".r{index}" + extension;
    }

    /// <summary>Prepares every run (see the class summary). Bad settings throw <see cref="ArgumentException"/>, bad
    /// inputs <see cref="IO.InputException"/> or <see cref="PotentialCoverageException"/>, before any file is written.</summary>
    public static MdRunner Open(MdSettings settings)
    {
        if (settings.Inputs.Count == 0) throw new ArgumentException("no structure to run");
        if (settings.Replicas < 1) throw new ArgumentException("the number of replicas must be at least 1");
        if (settings.Steps < 0) throw new ArgumentException("the number of steps must not be negative");
        var kind = EnsembleRegistry.Find(settings.Ensemble)
            ?? throw new ArgumentException($"unknown ensemble '{settings.Ensemble}' ({EnsembleRegistry.Names})");
        if (kind.NeedsTemperature && settings.Temperature is null) throw new ArgumentException($"the {kind.Name} ensemble needs a temperature");
        int count = settings.RunCount;

        var states = new MdState[count];
        var integrators = new Integrator[count];
        var names = new string[count];
        for (int i = 0; i < settings.Inputs.Count; i++)
        {
            var input = settings.Inputs[i];
            Structures.Structure? pristine = null;
            for (int k = 0; k < settings.Replicas; k++)
            {
                int index = i * settings.Replicas + k;
                // Run k draws from seed + k: SplitMix64 seeding makes neighbouring seeds independent streams.
                ulong seed = settings.Seed + (ulong)index;
                var integrator = integrators[index] = kind.Create(settings.Integrator with { Temperature = settings.Temperature ?? 0, Seed = seed });
                if (settings.Restart is { } restart)
                {
                    string path = names[index] = ReplicaPath(restart, index, count);
                    if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {path} not found", path);
                    states[index] = Checkpoint.Read(path, integrator);
                    continue;
                }
                names[index] = input.Name;
                // Read once, copied for each replica before a state touches it.
                pristine ??= input.Load();
                var structure = pristine.Clone();
                if (settings.Fixed.Count > 0 && settings.Fixed.Max() >= structure.Count)
                    throw new ArgumentException($"fixed atom {settings.Fixed.Max()} does not exist in {input.Name} ({structure.Count} atoms)");
                // Asked before the state exists: a new state gives the structure zero velocities.
                bool draw = structure.Velocities is null || settings.NewVelocities;
                var state = states[index] = new MdState(structure, settings.Fixed.ToList());
                if (draw)
                {
                    if (settings.Temperature is null)
                        throw new ArgumentException($"{input.Name} has no velocities: give a temperature for initial velocities");
                    MaxwellBoltzmann.Assign(state, settings.Temperature.Value, seed, zeroMomentum: true, settings.ExactTemperature, integrator.ConservesMomentum);
                }
            }
        }

        var potential = settings.Potential(states.SelectMany(s => s.Structure.Numbers).Distinct().ToArray());
        foreach (var (state, name) in states.Zip(names))
        {
            potential.CheckCovers(state.Structure);
            CloseContacts.Require(state.Structure, name, settings.MinDistance, settings.MinDistanceHint);
        }
        var dynamics = states.Select((state, index) =>
        {
            var forces = new ForceEvaluator(potential, settings.Skin, settings.NeighborPolicy) { BlowUp = new BlowUpDetector(settings.MinDistance) };
            return settings.Restart is null ? new MolecularDynamics(state, integrators[index], forces) : MolecularDynamics.Resume(state, integrators[index], forces);
        }).ToArray();

        // Everything is checked: only now are outputs opened.
        var runner = new MdRunner(settings, integrators[0].Name);
        try
        {
            var summary = count > 1 && settings.ThermoOutput is { } shared ? new ReplicaThermoLines(shared, count, settings.Steps) : null;
            for (int index = 0; index < count; index++)
                runner._runs.Add(runner.Attach(index, names[index], dynamics[index], summary));
        }
        catch
        {
            runner.Dispose();
            throw;
        }
        return runner;
    }

    /// <summary>Adds run <paramref name="index"/>'s observers, in the order they must write: the trajectory frame of a
    /// step is on disk before its log row, so an interrupted run never has a log ahead of its trajectory.</summary>
    private MdRun Attach(int index, string name, MolecularDynamics md, ReplicaThermoLines? summary)
    {
        var s = Settings;
        int count = s.RunCount;
        bool append = s.Restart is not null;
        long step = md.State.Step;
        TrajectoryObserver? frames = null;
        CheckpointObserver? checkpoints = null;
        if (s.Trajectory is { } trajectory)
        {
            string path = ReplicaPath(trajectory, index, count);
            if (append) MdRestartFiles.TruncateTrajectory(path, step);
            frames = TrajectoryObserver.ToFile(path, s.TrajectoryEvery, append);
            _files.Add(frames); md.Observers.Add(frames);
        }
        if (s.Log is { } log)
        {
            string path = ReplicaPath(log, index, count);
            if (append) MdRestartFiles.TruncateLog(path, step);
            var thermo = ThermoLogObserver.ToFile(path, s.LogEvery, append);
            _files.Add(thermo); md.Observers.Add(thermo);
        }
        if (s.Checkpoint is { } checkpoint)
            md.Observers.Add(checkpoints = new CheckpointObserver(ReplicaPath(checkpoint, index, count), s.CheckpointEvery));
        if (summary is not null) md.Observers.Add(summary.ObserverFor(s.ThermoEvery));
        else if (s.ThermoOutput is { } output) md.Observers.Add(new ThermoLinesObserver(output, s.ThermoEvery));
        return new MdRun { Index = index, Name = name, Dynamics = md, Frames = frames, Checkpoints = checkpoints, Remaining = Math.Max(0, s.Steps - step) };
    }

    /// <summary>Runs every run to the total number of steps. A blow-up stops its run alone and is reported, not thrown;
    /// anything else (a cancellation) is thrown once every run has stopped.</summary>
    public MdReport Run(CancellationToken cancellation = default)
    {
        var failures = new Exception?[Runs.Count];
        if (Runs.Count == 1)
        {
            try { Runs[0].Dynamics.Run(Runs[0].Remaining, cancellation); }
            catch (MdBlowUpException e) { failures[0] = e; }
        }
        else
        {
            failures = ReplicaDynamics.RunAll(Runs.Select(r => r.Dynamics).ToArray(), Runs.Select(r => r.Remaining).ToArray(), cancellation);
            if (failures.FirstOrDefault(f => f is not null and not MdBlowUpException) is { } other)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(other).Throw();
        }
        return new MdReport(_integrator, Runs.Select(run =>
        {
            var md = run.Dynamics;
            var blowUp = failures[run.Index] as MdBlowUpException;
            return new MdRunReport(run.Index, run.Name, md.Sample(), md.NsPerDay, md.AtomStepsPerSecond, blowUp,
                blowUp is null ? null : WhatWasKept(run));
        }).ToArray());
    }

    /// <summary>What a run that blew up leaves behind, said exactly: nothing of the bad step is ever written.</summary>
    private string WhatWasKept(MdRun run)
    {
        var kept = new List<string>();
        if (run.Frames?.LastStep is { } frame) kept.Add($"the trajectory ends with the frame of step {frame}");
        if (run.Checkpoints?.LastStep is { } saved) kept.Add($"the checkpoint is from step {saved}");
        else if (run.Checkpoints is not null && Settings.Restart is not null) kept.Add("the checkpoint was not rewritten");
        if (kept.Count == 0) return run.Frames is null && run.Checkpoints is null ? "no trajectory or checkpoint was requested" : "no frame or checkpoint was written";
        return string.Join(" and ", kept);
    }

    public void Dispose()
    {
        foreach (var file in _files) file.Dispose();
        _files.Clear();
    }
}
