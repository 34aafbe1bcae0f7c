using System.CommandLine;
using System.Globalization;
using MDEngine.IO;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Potentials.Formats;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine campaign INPUT... --db results.db</c>: relaxes many structures (files, folders, patterns,
/// multi-frame files, ASE databases) in a streaming batch within an atom budget (given, or measured for the potential
/// by <see cref="BatchSizeProbe"/>), each result a row of an ASE database the moment it finishes; started again with
/// the same inputs it skips what the database already holds (<see cref="RelaxCampaign"/>). <c>--shard i/N</c> (or a
/// Slurm array task) relaxes one part into its own database (<see cref="CampaignShard"/>). Progress: a bar on a
/// terminal, thermo-style lines otherwise; a structure that did not converge is named on its own line. Exit code 3
/// when some did not converge.</summary>
internal static class CampaignCommand
{
    public static Command Create(PotentialRegistry potentials)
    {
        var options = new CampaignOptions(potentials);
        var shard = new Option<string?>("--shard") { Description = "Relax only shard i of N (i/N, 0-based; default: from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT in a Slurm array job) into NAME.shardIofN.db; every structure belongs to exactly one shard." };
        var progressEvery = new Option<int>("--progress-every") { Description = "Structures between progress lines when the output is not a terminal.", DefaultValueFactory = _ => 100 };

        var command = new Command("campaign", "Relax many structures into an ASE database, resuming where a previous run stopped.");
        options.AddTo(command);
        command.Options.Add(shard);
        command.Options.Add(progressEvery);
        command.SetAction(parse =>
        {
            var log = parse.InvocationConfiguration.Output;
            options.Validate(parse);
            if (parse.GetValue(progressEvery) < 1) throw new UsageException("--progress-every must be at least 1");
            var part = parse.GetValue(shard) is { } text
                ? Usage(() => CampaignShard.Parse(text), "--shard")
                : Usage(() => CampaignShard.FromSlurm(), "Slurm array") ?? CampaignShard.All;
            string db = part.DatabaseName(parse.GetValue(options.Database)!);
            var kind = OptimizerRegistry.Find(parse.GetValue(options.Optimizer)!)!;
            bool relaxCell = parse.GetValue(options.Cell);
            string[] inputs = parse.GetValue(options.Inputs)!;
            string? format = parse.GetValue(options.Format);
            IEnumerable<(string Key, Structure Structure)> Stream() => part.Select(StructureStream.Read(inputs, format));

            // A first pass over the keys gives the total for the progress display (reading is cheap next to relaxing).
            var done = AseDatabase.TextValues(db, RelaxCampaign.KeyName);
            int total = 0;
            Structure? first = null;
            foreach (var (key, s) in Stream())
            {
                first ??= s;
                if (!done.Contains(key)) total++;
            }
            if (first is null) throw new UsageException(part.IsWhole ? "no structure to relax" : $"no structure in shard {part}");
            if (relaxCell && !first.IsCrystal) throw new UsageException("--cell: a structure is not periodic in all three directions");
            var pot = potentials.Parse(parse.GetValue(options.Potential)!, first.Numbers.Distinct().Order().ToArray());
            pot.CheckCovers(first);

            int budget;
            if (options.BatchBudget(parse) is { } given) budget = given;
            else
            {
                var probe = new BatchSizeProbe(pot).Measure(first, relaxCell);
                budget = probe.Picked;
                log.WriteLine("batch probe: " + string.Join(", ", probe.Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Atoms} atoms {p.AtomsPerSecond:F0}/s"))));
                log.WriteLine($"batch of at most {budget} atoms picked ({probe.Reason})");
            }
            string shardNote = part.IsWhole ? "" : $"; shard {part}";
            log.WriteLine($"potential: {pot.Name}; database: {db}; batch of at most {budget} atoms{shardNote}; {total} to relax, {done.Count} already done");
            IOptimizable Target(Structure s)
            {
                if (relaxCell && !s.IsCrystal) throw new UsageException($"--cell: a structure is not periodic in all three directions");
                pot.CheckCovers(s);
                return relaxCell ? new FrechetCellFilter(s) : new AtomsOptimizable(s);
            }
            bool terminal = !Console.IsOutputRedirected && ReferenceEquals(log, Console.Out);
            var progress = new CampaignProgress(log, terminal, total, parse.GetValue(progressEvery));
            var problems = new List<string>();
            long atomEvaluations = 0, steps = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var inv = CultureInfo.InvariantCulture;
            var campaign = new RelaxCampaign(pot, db, budget, new RelaxOptions { Fmax = parse.GetValue(options.Fmax), MaxSteps = parse.GetValue(options.Steps) });
            var summary = progress.Run(() => campaign.Run(Stream(), () => kind.Create(false), Target, outcome =>
            {
                var r = outcome.Result;
                atomEvaluations += (long)r.ForceCalls * outcome.Job.Atoms;
                steps += r.Steps;
                if (!r.Converged)
                {
                    string line = r.Problem is { } problem
                        ? $"{outcome.Job.Key}: STOPPED: {problem}; kept the last finite state"
                        : string.Format(inv, "{0}: NOT converged, {1} steps, E {2:F6} eV, fmax {3:F4} eV/Å", outcome.Job.Key, r.Steps, r.FinalEnergy, r.MaxForce);
                    if (terminal) problems.Add(line); else log.WriteLine(line);
                }
                progress.Finished(r.Converged);
            }));
            foreach (var line in problems) log.WriteLine(line);
            log.WriteLine($"relaxed {summary.Relaxed} ({summary.Converged} converged), skipped {summary.Skipped} already in {db}");
            double seconds = clock.Elapsed.TotalSeconds;
            if (summary.Relaxed > 0 && seconds > 0)
                log.WriteLine(string.Format(inv, "{0:F1} s: {1:F2} structures/s, {2:F0} atoms evaluated/s, {3} optimizer steps",
                    seconds, summary.Relaxed / seconds, atomEvaluations / seconds, steps));
            return summary.Converged == summary.Relaxed ? 0 : 3;
        });
        return command;
    }

    private static T Usage<T>(Func<T> read, string what)
    {
        try { return read(); }
        catch (FormatException e) { throw new UsageException($"{what}: {e.Message}"); }
    }
}
