using System.CommandLine;
using MDEngine.IO;
using MDEngine.Optimize;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine merge SHARD.db... --db results.db</c>: combines the databases of a sharded campaign into one,
/// by structure key, so that merging again adds nothing (<see cref="CampaignMerge"/>).</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var sources = new Argument<string[]>("sources") { Description = "Shard databases, or patterns such as 'results.shard*of8.db'.", Arity = ArgumentArity.OneOrMore };
        var target = new Option<string>("--db") { Description = "The database receiving every row whose key it does not hold yet (created when missing).", Required = true };
        var command = new Command("merge", "Combine the databases of a sharded campaign; merging twice adds nothing.");
        command.Arguments.Add(sources);
        command.Options.Add(target);
        command.SetAction(parse =>
        {
            string db = parse.GetValue(target)!;
            if (!db.EndsWith(".db", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--db {db}: name the database .db");
            OutputChecks.RequireDirectory("--db", db);
            // Every source is named and checked before the first row is written.
            var files = parse.GetValue(sources)!.SelectMany(StructureStream.Expand).Distinct().ToArray();
            foreach (var file in files)
                if (!File.Exists(file)) throw new FileNotFoundException($"{file}: no such database", file);
            var summary = CampaignMerge.Merge(db, files);
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"merged {files.Length} databases into {db}: added {summary.Added} rows, {summary.AlreadyPresent} already present" +
                (summary.WithoutKey > 0 ? $", {summary.WithoutKey} without a '{RelaxCampaign.KeyName}' left out" : ""));
            return 0;
        });
        return command;
    }
}
