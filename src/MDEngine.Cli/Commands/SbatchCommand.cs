using System.CommandLine;
using System.Globalization;
using System.Text;
using MDEngine.Optimize;
using MDEngine.Potentials.Formats;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine sbatch INPUT... --db results.db --shards N --script campaign.sbatch</c>: writes a Slurm array
/// script running the campaign in N shards, one per array task (each finds its shard in SLURM_ARRAY_TASK_ID and
/// SLURM_ARRAY_TASK_COUNT and writes NAME.shardIofN.db), and says how to submit it and merge the shards.</summary>
internal static class SbatchCommand
{
    public static Command Create(PotentialRegistry potentials)
    {
        var options = new CampaignOptions(potentials);
        var shards = new Option<int>("--shards") { Description = "Array tasks, one shard of the campaign each.", Required = true };
        var script = new Option<string>("--script") { Description = "The script to write.", DefaultValueFactory = _ => "campaign.sbatch" };
        var jobName = new Option<string>("--job-name") { Description = "Slurm job name.", DefaultValueFactory = _ => "mdengine-campaign" };
        var cpus = new Option<int>("--cpus-per-task") { Description = "Cores per array task.", DefaultValueFactory = _ => 1 };
        var time = new Option<string?>("--time") { Description = "Time limit per task, as Slurm takes it (e.g. 04:00:00)." };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition." };
        var memory = new Option<string?>("--mem") { Description = "Memory per task, as Slurm takes it (e.g. 4G)." };
        var executable = new Option<string?>("--mdengine") { Description = "The mdengine the tasks run (default: this one)." };

        var command = new Command("sbatch", "Write a Slurm array script that runs a campaign in shards.");
        options.AddTo(command);
        foreach (var o in new Option[] { shards, script, jobName, cpus, time, partition, memory, executable }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            options.Validate(parse);
            int n = parse.GetValue(shards);
            if (n < 1) throw new UsageException("--shards must be at least 1");
            if (parse.GetValue(cpus) < 1) throw new UsageException("--cpus-per-task must be at least 1");
            string path = parse.GetValue(script)!;
            OutputChecks.RequireDirectory("--script", path);
            string db = parse.GetValue(options.Database)!;
            string name = parse.GetValue(jobName)!;
            if (name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) throw new UsageException("--job-name: no spaces");
            var mdengine = parse.GetValue(executable) is { } given ? [Path.GetFullPath(given)] : ThisExecutable();

            var text = new StringBuilder();
            text.Append("#!/bin/bash\n");
            text.Append($"#SBATCH --job-name={name}\n");
            text.Append($"#SBATCH --array=0-{n - 1}\n");
            text.Append($"#SBATCH --output={name}-%A_%a.out\n");
            text.Append(string.Create(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={parse.GetValue(cpus)}\n"));
            if (parse.GetValue(time) is { } t) text.Append($"#SBATCH --time={SlurmValue("--time", t)}\n");
            if (parse.GetValue(partition) is { } p) text.Append($"#SBATCH --partition={SlurmValue("--partition", p)}\n");
            if (parse.GetValue(memory) is { } m) text.Append($"#SBATCH --mem={SlurmValue("--mem", m)}\n");
            text.Append($"# Written by mdengine sbatch: array task i relaxes shard i/{n} of the campaign (from SLURM_ARRAY_TASK_ID and\n");
            text.Append($"# SLURM_ARRAY_TASK_COUNT) into {new CampaignShard(0, n).DatabaseName(db)} ... {new CampaignShard(n - 1, n).DatabaseName(db)}.\n");
            text.Append("# A task killed or timed out resumes where it stopped when the array is submitted again.\n");
            text.Append($"# When every task is done: {Merge(mdengine, db, n)}\n");
            text.Append("set -euo pipefail\n");
            text.Append($"cd {Quote(Directory.GetCurrentDirectory())}\n");
            text.Append("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n");
            text.Append("exec " + string.Join(' ', mdengine.Concat(["campaign"]).Concat(options.Arguments(parse)).Select(Quote)) + "\n");
            File.WriteAllText(path, text.ToString());
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"wrote {path}: {n} array tasks");
            output.WriteLine($"submit: sbatch {Quote(path)}");
            output.WriteLine($"then, once every task is done: {Merge(mdengine, db, n)}");
            return 0;
        });
        return command;
    }

    private static string Merge(IEnumerable<string> mdengine, string db, int n) =>
        string.Join(' ', mdengine.Select(Quote)) + " merge " + Quote(ShardPattern(db, n)) + " --db " + Quote(db);

    /// <summary>results.db → results.shard*of8.db (merge expands the pattern itself).</summary>
    private static string ShardPattern(string db, int n) => new CampaignShard(0, n).DatabaseName(db).Replace(".shard0of", ".shard*of", StringComparison.Ordinal);

    /// <summary>This mdengine: the published executable, or <c>dotnet mdengine.dll</c> when run through dotnet.</summary>
    private static string[] ThisExecutable()
    {
        string process = Environment.ProcessPath ?? "mdengine";
        string entry = typeof(SbatchCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && entry.Length > 0 ? [process, entry] : [process];
    }

    private static string SlurmValue(string option, string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.' or ',')
            ? value : throw new UsageException($"{option} {value}: not a Slurm value");

    /// <summary>A word for bash: left bare when it is plain, else in single quotes.</summary>
    internal static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '=' or ':' or ',' or '@' or '+')
            ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
