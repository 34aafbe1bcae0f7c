using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Cli.Commands;

/// <summary>
/// <c>mdengine bench</c>: LAMMPS's standard benchmarks (bench/in.lj: 32,000 LJ atoms, fcc at reduced density 0.8442,
/// cutoff 2.5σ, skin 0.3σ; bench/in.eam: 32,000 Cu atoms, Cu_u3.eam, skin 1 Å) run in MDEngine and, when <c>lmp</c> is
/// installed, in LAMMPS, reporting atom-steps per second. The force stage compares one MDEngine force evaluation
/// (neighbor list built beforehand) with LAMMPS's "Pair" time per step of the same run. Each case lists its stages
/// so that further stages (e.g. NVE steps) are added as one more <see cref="Stage"/>.
/// </summary>
internal static class BenchCommand
{
    /// <summary>One measured quantity of a case: MDEngine's rate at a thread count, and how to read LAMMPS's rate
    /// from its log (atom-steps per second), null when LAMMPS has no counterpart.</summary>
    internal sealed record Stage(string Name, Func<BenchCase, int, Rate> MDEngineRate, Func<LammpsRun, Rate>? LammpsRate);

    /// <summary>Atom-steps per second of wall-clock time and per second of CPU time. On a shared machine other jobs
    /// take cores away at random; a single-threaded run's rate per CPU second does not depend on that, so the two
    /// codes' CPU-time rates compare them even when the wall-clock ones drift.</summary>
    internal readonly record struct Rate(double Wall, double Cpu);

    /// <summary>A benchmark: the system, the potential and the neighbor-list settings (skin and LAMMPS's neigh_modify
    /// schedule) that both codes use, and the LAMMPS input that runs it.</summary>
    internal sealed record BenchCase(string Name, Structure Structure, Potential Potential, double Skin, NeighborUpdatePolicy Policy, string LammpsInput, int LammpsSteps);

    /// <param name="CpuFraction">LAMMPS's "% CPU use" of the loop (CPU time over wall time), applied to its pair time too.</param>
    internal sealed record LammpsRun(int Atoms, int Steps, double LoopSeconds, double PairSeconds, int? NeighborBuilds, double CpuFraction)
    {
        public Rate Per(double seconds) => new(Atoms * (double)Steps / seconds, Atoms * (double)Steps / (seconds * CpuFraction));
    }

    public static Command Create()
    {
        var cells = new Option<int>("--cells") { Description = "fcc unit cells per edge (20 gives LAMMPS's 32,000 atoms).", DefaultValueFactory = _ => 20 };
        var repeat = new Option<int>("--repeat") { Description = "Force evaluations timed per MDEngine measurement.", DefaultValueFactory = _ => 20 };
        var threads = new Option<string>("--threads") { Description = "Comma-separated thread counts for MDEngine (default: 1 and all cores).", DefaultValueFactory = _ => $"1,{Environment.ProcessorCount}" };
        var which = new Option<string>("--case") { Description = "lj, eam or all.", DefaultValueFactory = _ => "all" };
        var lammps = new Option<string?>("--lammps") { Description = "LAMMPS executable (default: lmp on PATH); 'none' skips LAMMPS." };
        var neighModify = new Option<string?>("--neigh-modify") { Description = "Neighbor-list schedule for both codes, as LAMMPS's neigh_modify (default: each LAMMPS input's own, 'every 20 delay 0 check no' for lj, 'every 1 delay 5 check yes' for eam)." };
        var command = new Command("bench", "Benchmark force evaluation against LAMMPS's bench/in.lj and bench/in.eam (atom-steps per second).");
        foreach (var o in new Option[] { cells, repeat, threads, which, lammps, neighModify }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            int n = parse.GetValue(cells), count = parse.GetValue(repeat);
            if (n < 2 || n > 60) throw new UsageException("--cells must be between 2 and 60");
            if (count < 1) throw new UsageException("--repeat must be positive");
            var threadCounts = ParseThreads(parse.GetValue(threads)!);
            string? lmp = ResolveLammps(parse.GetValue(lammps));
            string selected = parse.GetValue(which)!.ToLowerInvariant();
            if (selected is not ("lj" or "eam" or "all")) throw new UsageException("--case must be lj, eam or all");
            NeighborUpdatePolicy? policy = null;
            if (parse.GetValue(neighModify) is { } text)
            {
                try { policy = NeighborUpdatePolicy.Parse(text); }
                catch (FormatException e) { throw new UsageException($"--neigh-modify {e.Message}"); }
            }

            var stages = new List<Stage>
            {
                // The potential alone, pair vectors current (what LAMMPS's "Pair" time measures, less its distance computation).
                new("forces", (c, t) => ForceRate(c, t, count, refresh: false), run => run.Per(run.PairSeconds)),
                // Pair-vector refresh from positions (Verlet list, every step) plus the potential: the same work as LAMMPS's pair loop.
                new("refresh+forces", (c, t) => ForceRate(c, t, count, refresh: true), run => run.Per(run.PairSeconds)),
                // 100 velocity-Verlet steps with neighbor-list maintenance, against LAMMPS's whole loop of fix nve.
                new("100 NVE steps", (c, t) => NveRate(c, t), run => run.Per(run.LoopSeconds)),
            };
            output.WriteLine($"MDEngine on .NET {Environment.Version}, {Environment.ProcessorCount} cores; LAMMPS: {lmp ?? "not found"}");
            foreach (var bench in Cases(n, selected, policy))
            {
                output.WriteLine($"{bench.Name}: {bench.Structure.Count} atoms, cutoff {bench.Potential.Cutoff.ToString("0.###", CultureInfo.InvariantCulture)}, skin {bench.Skin.ToString(CultureInfo.InvariantCulture)}, neigh_modify {bench.Policy}");
                var run = lmp is null ? null : RunLammps(lmp, bench);
                foreach (var stage in stages)
                {
                    Rate? reference = run is not null && stage.LammpsRate is not null ? stage.LammpsRate(run) : null;
                    if (reference is { } r)
                    {
                        string line = Line(stage.Name, "LAMMPS, 1 core", r, null, withCpu: true);
                        if (stage.Name.Contains("NVE", StringComparison.Ordinal) && run!.NeighborBuilds is { } builds)
                            line += string.Format(CultureInfo.InvariantCulture, "  [{0} list builds]", builds);
                        output.WriteLine(line);
                    }
                    foreach (int t in threadCounts)
                    {
                        var rate = stage.MDEngineRate(bench, t);
                        // Per CPU second compares with LAMMPS's one core only for one thread.
                        string line = Line(stage.Name, $"MDEngine, {t} thread{(t == 1 ? "" : "s")}", rate, reference, withCpu: t == 1);
                        if (stage.Name.Contains("NVE", StringComparison.Ordinal))
                            line += string.Format(CultureInfo.InvariantCulture, "  [{0} list builds, {1} full GCs]", LastNveRun.Builds, LastNveRun.FullCollections);
                        output.WriteLine(line);
                    }
                }
            }
            return 0;
        });
        return command;
    }

    private static string Line(string stage, string who, Rate rate, Rate? reference, bool withCpu)
    {
        var inv = CultureInfo.InvariantCulture;
        string line = string.Format(inv, "  {0,-15} {1,-20} {2,10:F3} M atom-steps/s", stage, who, rate.Wall / 1e6);
        if (reference is { } r) line += string.Format(inv, "  ({0:F2}× LAMMPS)", rate.Wall / r.Wall);
        if (withCpu)
        {
            line += string.Format(inv, "  per CPU-s {0:F3} M", rate.Cpu / 1e6);
            if (reference is { } c) line += string.Format(inv, " ({0:F2}×)", rate.Cpu / c.Cpu);
        }
        return line;
    }

    private static int[] ParseThreads(string text)
    {
        try
        {
            var t = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Distinct().ToArray();
            if (t.Length == 0 || t.Any(x => x < 1)) throw new FormatException();
            return t;
        }
        catch (FormatException) { throw new UsageException($"--threads {text}: expected positive integers separated by commas"); }
    }

    private static string? ResolveLammps(string? option)
    {
        if (option is "none") return null;
        if (option is not null) return File.Exists(option) ? option : throw new UsageException($"--lammps {option}: not found");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, "lmp");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>fcc lattice of n³ cubic cells, as LAMMPS's <c>lattice fcc</c> + <c>create_atoms</c>.</summary>
    internal static Structure Fcc(int z, double a, int n)
    {
        var basis = new[] { new Vec3(0, 0, 0), new Vec3(0, .5, .5), new Vec3(.5, 0, .5), new Vec3(.5, .5, 0) };
        var positions = new List<Vec3>(4 * n * n * n);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++)
                    foreach (var b in basis) positions.Add(a * new Vec3(i + b.X, j + b.Y, k + b.Z));
        return new Structure(Enumerable.Repeat(z, positions.Count).ToArray(), positions, Cell.Cubic(a * n), Pbc.All);
    }

    /// <param name="policy">The neighbor-list schedule of both codes; null keeps each LAMMPS input's own.</param>
    internal static IEnumerable<BenchCase> Cases(int n, string which, NeighborUpdatePolicy? policy = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var lj = policy ?? NeighborUpdatePolicy.Parse("every 20 delay 0 check no");
        var eam = policy ?? NeighborUpdatePolicy.Parse("every 1 delay 5 check yes");
        if (which is "lj" or "all")
        {
            // Reduced units (ε = σ = 1): density 0.8442 gives the cubic lattice constant (4/0.8442)^(1/3).
            double a = Math.Pow(4 / 0.8442, 1.0 / 3.0);
            yield return new BenchCase("lj (bench/in.lj)", Fcc(18, a, n), new LennardJones(1.0, 1.0, 2.5), 0.3, lj,
                string.Format(inv, """
                    units lj
                    atom_style atomic
                    lattice fcc 0.8442
                    region box block 0 {0} 0 {0} 0 {0}
                    create_box 1 box
                    create_atoms 1 box
                    mass 1 1.0
                    velocity all create 3.0 87287 loop geom
                    pair_style lj/cut 2.5
                    pair_coeff 1 1 1.0 1.0 2.5
                    neighbor 0.3 bin
                    neigh_modify {1}
                    fix 1 all nve
                    run 100
                    """, n, lj), 100);
        }
        if (which is "eam" or "all")
        {
            // LAMMPS's bench uses Cu_u3.eam; without a LAMMPS installation the shipped Zhou Cu file stands in.
            string file = "/usr/share/lammps/potentials/Cu_u3.eam";
            if (!File.Exists(file)) file = Path.Combine(PotentialsDirectory.Find() ?? ".", "Cu_Zhou04.eam.alloy");
            var potential = PotentialSpec.FromFile(file);
            bool funcfl = file.EndsWith(".eam", StringComparison.Ordinal);
            yield return new BenchCase($"eam Cu (bench/in.eam, {Path.GetFileName(file)})", Fcc(29, 3.615, n), potential, 1.0, eam,
                string.Format(inv, """
                    units metal
                    atom_style atomic
                    lattice fcc 3.615
                    region box block 0 {0} 0 {0} 0 {0}
                    create_box 1 box
                    create_atoms 1 box
                    pair_style {1}
                    pair_coeff {2}
                    velocity all create 1600.0 376847 loop geom
                    neighbor 1.0 bin
                    neigh_modify {3}
                    fix 1 all nve
                    timestep 0.005
                    thermo 50
                    run 100
                    """, n, funcfl ? "eam" : "eam/alloy", funcfl ? $"1 1 {file}" : $"* * {file} Cu", eam), 100);
        }
    }

    /// <summary>Force evaluations per second × atoms, the neighbor list (cutoff + skin) built beforehand. With
    /// <paramref name="refresh"/> each evaluation is first handed the positions as a Verlet list does every step
    /// (<see cref="NeighborList.DeferGeometryUpdate"/>). Either way the kernels compute the pair distances from the
    /// positions, as LAMMPS's pair loop does.</summary>
    internal static Rate ForceRate(BenchCase c, int threads, int repeat, bool refresh)
    {
        int saved = PotentialParallelism.MaxThreads;
        try
        {
            PotentialParallelism.MaxThreads = threads;
            var list = NeighborListBuilder.Build(c.Structure, c.Potential.Cutoff + c.Skin, c.Potential.NeedsFullNeighborList);
            for (int w = 0; w < 2; w++) c.Potential.Compute(c.Structure, list, Quantities.EnergyAndForces);
            var clock = CpuAndWallClock.Start();
            for (int r = 0; r < repeat; r++)
            {
                if (refresh) list.DeferGeometryUpdate(c.Structure.Positions, c.Structure.Cell.Matrix);
                c.Potential.Compute(c.Structure, list, Quantities.EnergyAndForces);
            }
            return clock.RateOf(c.Structure.Count * (double)repeat);
        }
        finally { PotentialParallelism.MaxThreads = saved; }
    }

    /// <summary>Neighbor-list builds and full (generation-2) collections during the last <see cref="NveRate"/> run.</summary>
    internal static (int Builds, int FullCollections) LastNveRun { get; private set; }

    /// <summary>
    /// Atom-steps per second of 100 NVE (velocity Verlet) steps through the molecular-dynamics run loop, after the
    /// initial forces, with the LAMMPS input's skin and neigh_modify schedule: bench/in.lj's <c>every 20 check no</c>
    /// rebuilds every 20 steps unchecked (fewer builds, but pairs can be missed in a hot liquid), bench/in.eam's
    /// <c>every 1 delay 5 check yes</c> is checked. The conditions follow the LAMMPS inputs: bench/in.lj in reduced
    /// units (ε = 1 eV, σ = 1 Å here, so τ = σ√(m/ε) and dt = 0.005τ, T = 3ε/k_B), bench/in.eam at 1600 K with dt = 5 fs.
    /// </summary>

    internal static Rate NveRate(BenchCase c, int threads)
    {
        int saved = PotentialParallelism.MaxThreads;
        try
        {
            PotentialParallelism.MaxThreads = threads;
            bool reduced = c.Potential is LennardJones;
            double mass = c.Structure.Masses[0];
            double dt = reduced ? 0.005 * Math.Sqrt(mass / Dynamics.MdUnits.EvPerAmuInA2PerFs2) : 5.0;
            double temperature = reduced ? 3.0 / Dynamics.MdUnits.Boltzmann : 1600.0;
            var state = new Dynamics.MdState(c.Structure.Clone());
            Dynamics.MaxwellBoltzmann.Assign(state, temperature, seed: 87287);
            // Reduced-unit argon sits closer than covalent radii suggest: no overlap check in a benchmark.
            var forces = new Dynamics.ForceEvaluator(c.Potential, c.Skin, c.Policy) { BlowUp = null };
            var md = new Dynamics.MolecularDynamics(state, new Dynamics.VelocityVerlet(dt), forces);
            md.Run(0);
            int buildsBefore = forces.NeighborListBuilds, gcBefore = GC.CollectionCount(2);
            var clock = CpuAndWallClock.Start();
            md.Run(100);
            var rate = clock.RateOf(c.Structure.Count * 100.0);
            LastNveRun = (forces.NeighborListBuilds - buildsBefore, GC.CollectionCount(2) - gcBefore);
            return rate;
        }
        finally { PotentialParallelism.MaxThreads = saved; }
    }

    /// <summary>Runs the case's LAMMPS input on one core and reads the loop and pair times from its log.</summary>
    internal static LammpsRun? RunLammps(string lmp, BenchCase c)
    {
        var dir = Directory.CreateTempSubdirectory("mdengine-bench-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "in.bench"), c.LammpsInput + "\n");
            var start = new ProcessStartInfo(lmp, ["-in", "in.bench", "-log", "log.bench", "-screen", "none"])
            {
                WorkingDirectory = dir.FullName, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment["OMP_NUM_THREADS"] = "1";
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            var logPath = Path.Combine(dir.FullName, "log.bench");
            if (process.ExitCode != 0 || !File.Exists(logPath)) return null;
            var log = File.ReadAllText(logPath);
            var loop = Regex.Match(log, @"Loop time of ([0-9.eE+-]+) on (\d+) procs for (\d+) steps with (\d+) atoms");
            var pair = Regex.Match(log, @"^Pair\s*\|\s*([0-9.eE+-]+)\s*\|\s*([0-9.eE+-]+)", RegexOptions.Multiline);
            if (!loop.Success || !pair.Success) return null;
            var builds = Regex.Match(log, @"Neighbor list builds\s*=\s*(\d+)");
            var cpu = Regex.Match(log, @"([0-9.]+)% CPU use");
            double D(Group g) => double.Parse(g.Value, CultureInfo.InvariantCulture);
            return new LammpsRun(int.Parse(loop.Groups[4].Value, CultureInfo.InvariantCulture), int.Parse(loop.Groups[3].Value, CultureInfo.InvariantCulture),
                D(loop.Groups[1]), D(pair.Groups[2]), builds.Success ? int.Parse(builds.Groups[1].Value, CultureInfo.InvariantCulture) : null,
                cpu.Success ? D(cpu.Groups[1]) / 100 : 1.0);
        }
        finally { dir.Delete(true); }
    }

    /// <summary>Wall-clock and process CPU time (getrusage, microseconds) from one starting point.</summary>
    private readonly record struct CpuAndWallClock(long WallStart, TimeSpan CpuStart)
    {
        public static CpuAndWallClock Start() => new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime);

        public Rate RateOf(double atomSteps)
        {
            double wall = Stopwatch.GetElapsedTime(WallStart).TotalSeconds;
            double cpu = (Environment.CpuUsage.TotalTime - CpuStart).TotalSeconds;
            return new Rate(atomSteps / wall, atomSteps / Math.Max(cpu, 1e-9));
        }
    }
}
