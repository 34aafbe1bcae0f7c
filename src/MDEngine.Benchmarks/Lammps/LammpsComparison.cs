using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Benchmarks.Lammps;

/// <summary>What <see cref="LammpsComparison.Run"/> measures: fcc cells per edge (20 gives LAMMPS's 32,000 atoms),
/// force evaluations per measurement, MDEngine's thread counts, the case ("lj", "eam" or "all"), the LAMMPS executable
/// (null: none) and the neighbor-list schedule of both codes (null: each LAMMPS input's own).</summary>
public sealed record LammpsComparisonSettings(int Cells, int Repeat, int[] Threads, string Case, string? Lammps, NeighborUpdatePolicy? Policy);

/// <summary>
/// LAMMPS's standard benchmarks (bench/in.lj: 32,000 LJ atoms, fcc at reduced density 0.8442, cutoff 2.5σ, skin 0.3σ;
/// bench/in.eam: 32,000 Cu atoms, Cu_u3.eam, skin 1 Å) run in MDEngine and, when LAMMPS is given, in LAMMPS, reporting
/// atom-steps per second. The force stage compares one MDEngine force evaluation (neighbor list built beforehand) with
/// LAMMPS's "Pair" time per step of the same run. Each case lists its stages so that further stages (e.g. NVE steps)
/// are added as one more <see cref="Stage"/>.
/// </summary>
public static class LammpsComparison
{
    public static void Run(LammpsComparisonSettings settings, TextWriter output)
    {
        var stages = new List<Stage>
        {
            // The potential alone, pair vectors current (what LAMMPS's "Pair" time measures, less its distance computation).
            new("forces", (c, t) => ForceRate(c, t, settings.Repeat, refresh: false), run => run.Per(run.PairSeconds)),
            // Pair-vector refresh from positions (Verlet list, every step) plus the potential: the same work as LAMMPS's pair loop.
            new("refresh+forces", (c, t) => ForceRate(c, t, settings.Repeat, refresh: true), run => run.Per(run.PairSeconds)),
            // 100 velocity-Verlet steps with neighbor-list maintenance, against LAMMPS's whole loop of fix nve.
            new("100 NVE steps", (c, t) => NveRate(c, t), run => run.Per(run.LoopSeconds)),
        };
        output.WriteLine($"MDEngine on .NET {Environment.Version}, {Environment.ProcessorCount} cores; LAMMPS: {settings.Lammps ?? "not found"}");
        foreach (var bench in Cases(settings.Cells, settings.Case, settings.Policy))
        {
            output.WriteLine($"{bench.Name}: {bench.Structure.Count} atoms, cutoff {bench.Potential.Cutoff.ToString("0.###", CultureInfo.InvariantCulture)}, skin {bench.Skin.ToString(CultureInfo.InvariantCulture)}, neigh_modify {bench.Policy}");
            var run = settings.Lammps is null ? null : RunLammps(settings.Lammps, bench);
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
                foreach (int t in settings.Threads)
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
    }

    /// <summary>One measured quantity of a case: MDEngine's rate at a thread count, and how to read LAMMPS's rate
    /// from its log (atom-steps per second), null when LAMMPS has no counterpart.</summary>
    public sealed record Stage(string Name, Func<BenchCase, int, Rate> MDEngineRate, Func<LammpsRun, Rate>? LammpsRate);

    /// <summary>A benchmark: the system, the potential and the neighbor-list settings (skin and LAMMPS's neigh_modify
    /// schedule) that both codes use, and the LAMMPS input that runs it.</summary>
    public sealed record BenchCase(string Name, Structure Structure, Potential Potential, double Skin, NeighborUpdatePolicy Policy, string LammpsInput, int LammpsSteps);

    /// <param name="CpuFraction">LAMMPS's "% CPU use" of the loop (CPU time over wall time), applied to its pair time too.</param>
    public sealed record LammpsRun(int Atoms, int Steps, double LoopSeconds, double PairSeconds, int? NeighborBuilds, double CpuFraction)
    {
        public Rate Per(double seconds) => new(Atoms * (double)Steps / seconds, Atoms * (double)Steps / (seconds * CpuFraction));
    }

    /// <param name="policy">The neighbor-list schedule of both codes; null keeps each LAMMPS input's own.</param>
    public static IEnumerable<BenchCase> Cases(int n, string which, NeighborUpdatePolicy? policy = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var lj = policy ?? NeighborUpdatePolicy.Parse("every 20 delay 0 check no");
        var eam = policy ?? NeighborUpdatePolicy.Parse("every 1 delay 5 check yes");
        if (which is "lj" or "all")
        {
            // Reduced units (ε = σ = 1): density 0.8442 gives the cubic lattice constant (4/0.8442)^(1/3).
            double a = Math.Pow(4 / 0.8442, 1.0 / 3.0);
            yield return new BenchCase("lj (bench/in.lj)", TestSystems.Fcc(18, a, n), new LennardJones(1.0, 1.0, 2.5), 0.3, lj,
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
            yield return new BenchCase($"eam Cu (bench/in.eam, {Path.GetFileName(file)})", TestSystems.Fcc(29, 3.615, n), potential, 1.0, eam,
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
    public static Rate ForceRate(BenchCase c, int threads, int repeat, bool refresh)
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
    public static (int Builds, int FullCollections) LastNveRun { get; private set; }

    /// <summary>
    /// Atom-steps per second of 100 NVE (velocity Verlet) steps through the molecular-dynamics run loop, after the
    /// initial forces, with the LAMMPS input's skin and neigh_modify schedule: bench/in.lj's <c>every 20 check no</c>
    /// rebuilds every 20 steps unchecked (fewer builds, but pairs can be missed in a hot liquid), bench/in.eam's
    /// <c>every 1 delay 5 check yes</c> is checked. The conditions follow the LAMMPS inputs: bench/in.lj in reduced
    /// units (ε = 1 eV, σ = 1 Å here, so τ = σ√(m/ε) and dt = 0.005τ, T = 3ε/k_B), bench/in.eam at 1600 K with dt = 5 fs.
    /// </summary>

    public static Rate NveRate(BenchCase c, int threads)
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
    public static LammpsRun? RunLammps(string lmp, BenchCase c)
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

    public static string? ResolveLammps(string? option)
    {
        if (option is "none") return null;
        if (option is not null) return File.Exists(option) ? option : throw new FileNotFoundException($"LAMMPS executable {option} not found", option);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, "lmp");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
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
}
