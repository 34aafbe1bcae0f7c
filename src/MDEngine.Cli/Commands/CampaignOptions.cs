using System.CommandLine;
using System.Globalization;
using MDEngine.Optimize;
using MDEngine.Potentials.Formats;

namespace MDEngine.Cli.Commands;

/// <summary>The options of a relaxation campaign, shared by <c>campaign</c>, which runs one, and <c>sbatch</c>, which
/// writes a Slurm array script running it in shards: the script repeats the campaign's options as parsed here.</summary>
internal sealed class CampaignOptions(PotentialRegistry potentials)
{
    public readonly Argument<string[]> Inputs = new("inputs") { Description = "Structure files, folders or patterns such as 'cifs/*.cif'.", Arity = ArgumentArity.OneOrMore };
    public readonly Option<string> Database = new("--db") { Description = "ASE database (.db) receiving one row per relaxed structure; an existing one is continued. A shard writes NAME.shardIofN.db.", Required = true };
    public readonly Option<string> Potential = new("--potential", "-p") { Description = $"Potential: {potentials.Help} (for auto: the first structure's elements).", DefaultValueFactory = _ => "auto" };
    public readonly Option<string> Optimizer = new("--optimizer") { Description = $"One of {OptimizerRegistry.Names}.", DefaultValueFactory = _ => "fire" };
    public readonly Option<double> Fmax = new("--fmax") { Description = "Converged when every force (and the cell's, with --cell) is below this (eV/Å).", DefaultValueFactory = _ => 0.05 };
    public readonly Option<int> Steps = new("--steps") { Description = "Most optimizer steps per structure.", DefaultValueFactory = _ => 500 };
    public readonly Option<bool> Cell = new("--cell") { Description = "Relax the cell too (Fréchet cell filter)." };
    public readonly Option<string> BatchAtoms = new("--batch-atoms") { Description = "Most atoms relaxed together in one batch, or auto: measured for the potential by a short probe (the size picked is printed).", DefaultValueFactory = _ => "auto" };
    public readonly Option<string?> Format = new("--format") { Description = "Input format: extxyz, xyz, cif, vasp, lammps-data, lammps-dump, traj or db (default: from each file name)." };

    public IEnumerable<Option> All => [Database, Potential, Optimizer, Fmax, Steps, Cell, BatchAtoms, Format];

    public void AddTo(Command command)
    {
        command.Arguments.Add(Inputs);
        foreach (var o in All) command.Options.Add(o);
    }

    /// <summary>The campaign's own arguments as parsed, to run it again elsewhere (inputs first, then every option).</summary>
    public IReadOnlyList<string> Arguments(ParseResult parse)
    {
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string>(parse.GetValue(Inputs)!);
        args.AddRange(["--db", parse.GetValue(Database)!, "--potential", parse.GetValue(Potential)!, "--optimizer", parse.GetValue(Optimizer)!,
            "--fmax", parse.GetValue(Fmax).ToString("R", inv), "--steps", parse.GetValue(Steps).ToString(inv), "--batch-atoms", parse.GetValue(BatchAtoms)!]);
        if (parse.GetValue(Cell)) args.Add("--cell");
        if (parse.GetValue(Format) is { } format) args.AddRange(["--format", format]);
        return args;
    }

    /// <summary>Checks what can be checked before anything is read: the database name and folder, the optimizer,
    /// --fmax, --steps and --batch-atoms.</summary>
    public void Validate(ParseResult parse)
    {
        string db = parse.GetValue(Database)!;
        if (!db.EndsWith(".db", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--db {db}: name the database .db");
        OutputChecks.RequireDirectory("--db", db);
        string name = parse.GetValue(Optimizer)!;
        if (OptimizerRegistry.Find(name) is null) throw new UsageException($"--optimizer {name}: expected {OptimizerRegistry.Names}");
        double fmax = parse.GetValue(Fmax);
        if (!(fmax > 0) || !double.IsFinite(fmax)) throw new UsageException("--fmax must be a positive number");
        if (parse.GetValue(Steps) < 0) throw new UsageException("--steps must not be negative");
        BatchBudget(parse);
    }

    /// <summary>The atom budget given, or null for auto.</summary>
    public int? BatchBudget(ParseResult parse)
    {
        string text = parse.GetValue(BatchAtoms)!;
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int budget) || budget < 1)
            throw new UsageException($"--batch-atoms {text}: expected auto or a number of atoms, at least 1");
        return budget;
    }
}
