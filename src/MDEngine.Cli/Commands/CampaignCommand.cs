using System.CommandLine;
using System.Globalization;
using MDEngine.IO;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Potentials.Formats;
using MDEngine.Structures;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine campaign INPUT... --db results.db</c>: relaxes many structures (files, folders, patterns,
/// multi-frame files, ASE databases) in a streaming batch within an atom budget, each result a row of an ASE database
/// the moment it finishes; started again with the same inputs it skips what the database already holds
/// (<see cref="RelaxCampaign"/>). One line per finished structure. Exit code 3 when some did not converge.</summary>
internal static class CampaignCommand
{
    public static Command Create(PotentialRegistry potentials)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Structure files, folders or patterns such as 'cifs/*.cif'.", Arity = ArgumentArity.OneOrMore };
        var database = new Option<string>("--db") { Description = "ASE database (.db) receiving one row per relaxed structure; an existing one is continued.", Required = true };
        var potential = new Option<string>("--potential", "-p") { Description = $"Potential: {potentials.Help} (for auto: the first structure's elements).", DefaultValueFactory = _ => "auto" };
        var optimizer = new Option<string>("--optimizer") { Description = $"One of {OptimizerRegistry.Names}.", DefaultValueFactory = _ => "fire" };
        var fmax = new Option<double>("--fmax") { Description = "Converged when every force (and the cell's, with --cell) is below this (eV/Å).", DefaultValueFactory = _ => 0.05 };
        var steps = new Option<int>("--steps") { Description = "Most optimizer steps per structure.", DefaultValueFactory = _ => 500 };
        var cell = new Option<bool>("--cell") { Description = "Relax the cell too (Fréchet cell filter)." };
        var batchAtoms = new Option<int>("--batch-atoms") { Description = "Most atoms relaxed together in one batch.", DefaultValueFactory = _ => 512 };
        var format = new Option<string?>("--format") { Description = "Input format: extxyz, xyz, cif, vasp, lammps-data, lammps-dump, traj or db (default: from each file name)." };

        var command = new Command("campaign", "Relax many structures into an ASE database, resuming where a previous run stopped.");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { database, potential, optimizer, fmax, steps, cell, batchAtoms, format }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var log = parse.InvocationConfiguration.Output;
            string db = parse.GetValue(database)!;
            if (!db.EndsWith(".db", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--db {db}: name the database .db");
            OutputChecks.RequireDirectory("--db", db);
            string name = parse.GetValue(optimizer)!.ToLowerInvariant();
            var kind = OptimizerRegistry.Find(name) ?? throw new UsageException($"--optimizer {name}: expected {OptimizerRegistry.Names}");
            Optimizer NewOptimizer() => kind.Create(false);
            double fmaxValue = parse.GetValue(fmax);
            if (!(fmaxValue > 0) || !double.IsFinite(fmaxValue)) throw new UsageException("--fmax must be a positive number");
            int maxSteps = parse.GetValue(steps), budget = parse.GetValue(batchAtoms);
            if (maxSteps < 0) throw new UsageException("--steps must not be negative");
            if (budget < 1) throw new UsageException("--batch-atoms must be at least 1");
            bool relaxCell = parse.GetValue(cell);

            var stream = StructureStream.Read(parse.GetValue(inputs)!, parse.GetValue(format));
            using var pending = stream.GetEnumerator();
            if (!pending.MoveNext()) throw new UsageException("no structure to relax");
            var first = pending.Current;
            var pot = potentials.Parse(parse.GetValue(potential)!, first.Structure.Numbers.Distinct().Order().ToArray());
            log.WriteLine($"potential: {pot.Name}; database: {db}; batch of at most {budget} atoms");
            IEnumerable<(string, Structure)> All()
            {
                yield return first;
                while (pending.MoveNext()) yield return pending.Current;
            }
            IOptimizable Target(Structure s)
            {
                if (relaxCell && !s.IsCrystal) throw new UsageException($"--cell: a structure is not periodic in all three directions");
                pot.CheckCovers(s);
                return relaxCell ? new FrechetCellFilter(s) : new AtomsOptimizable(s);
            }
            var inv = CultureInfo.InvariantCulture;
            var campaign = new RelaxCampaign(pot, db, budget, new RelaxOptions { Fmax = fmaxValue, MaxSteps = maxSteps });
            var summary = campaign.Run(All(), NewOptimizer, Target, outcome =>
            {
                var r = outcome.Result;
                log.WriteLine(r.Problem is { } problem
                    ? $"{outcome.Job.Key}: STOPPED: {problem}; kept the last finite state"
                    : string.Format(inv, "{0}: {1}, {2} steps, E {3:F6} eV, fmax {4:F4} eV/Å", outcome.Job.Key,
                        r.Converged ? "converged" : "NOT converged", r.Steps, r.FinalEnergy, r.MaxForce));
                log.Flush();
            });
            log.WriteLine($"relaxed {summary.Relaxed} ({summary.Converged} converged), skipped {summary.Skipped} already in {db}");
            return summary.Converged == summary.Relaxed ? 0 : 3;
        });
        return command;
    }
}
