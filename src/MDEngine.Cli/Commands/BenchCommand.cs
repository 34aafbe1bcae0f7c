using System.CommandLine;
using System.Globalization;
using MDEngine.Benchmarks;
using MDEngine.Benchmarks.Lammps;
using MDEngine.Benchmarks.Models;
using MDEngine.ML.Graphs;
using MDEngine.Neighbors;
using TorchSharp;

namespace MDEngine.Cli.Commands;

/// <summary>
/// <c>mdengine bench</c>: the benchmark harness (<c>MDEngine.Benchmarks</c>). Without a subcommand, LAMMPS's
/// bench/in.lj and bench/in.eam in MDEngine and LAMMPS in one run (<see cref="LammpsComparison"/>); <c>mace</c> and
/// <c>tensornet</c> time the ML models; <c>kernels</c> runs the BenchmarkDotNet micro-benchmarks and <c>cpu-time</c>
/// the neighbor-list CPU-time probe.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var cells = new Option<int>("--cells") { Description = "fcc unit cells per edge (20 gives LAMMPS's 32,000 atoms).", DefaultValueFactory = _ => 20 };
        var repeat = new Option<int>("--repeat") { Description = "Force evaluations timed per MDEngine measurement.", DefaultValueFactory = _ => 20 };
        var threads = ThreadsOption($"1,{Environment.ProcessorCount}");
        var which = new Option<string>("--case") { Description = "lj, eam or all.", DefaultValueFactory = _ => "all" };
        var lammps = new Option<string?>("--lammps") { Description = "LAMMPS executable (default: lmp on PATH); 'none' skips LAMMPS." };
        var neighModify = new Option<string?>("--neigh-modify") { Description = "Neighbor-list schedule for both codes, as LAMMPS's neigh_modify (default: each LAMMPS input's own, 'every 20 delay 0 check no' for lj, 'every 1 delay 5 check yes' for eam)." };
        var command = new Command("bench", "Benchmark force evaluation against LAMMPS's bench/in.lj and bench/in.eam (atom-steps per second).");
        foreach (var o in new Option[] { cells, repeat, threads, which, lammps, neighModify }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(cells), count = parse.GetValue(repeat);
            if (n < 2 || n > 60) throw new UsageException("--cells must be between 2 and 60");
            if (count < 1) throw new UsageException("--repeat must be positive");
            string selected = parse.GetValue(which)!.ToLowerInvariant();
            if (selected is not ("lj" or "eam" or "all")) throw new UsageException("--case must be lj, eam or all");
            string? lmp;
            try { lmp = LammpsComparison.ResolveLammps(parse.GetValue(lammps)); }
            catch (FileNotFoundException e) { throw new UsageException($"--lammps {e.FileName}: not found"); }
            NeighborUpdatePolicy? policy = null;
            if (parse.GetValue(neighModify) is { } text)
            {
                try { policy = NeighborUpdatePolicy.Parse(text); }
                catch (FormatException e) { throw new UsageException($"--neigh-modify {e.Message}"); }
            }
            var settings = new LammpsComparisonSettings(n, count, ParseInts("--threads", parse.GetValue(threads)!), selected, lmp, policy);
            LammpsComparison.Run(settings, parse.InvocationConfiguration.Output);
            return 0;
        });
        command.Subcommands.Add(MaceCommand());
        command.Subcommands.Add(TensorNetCommand());
        command.Subcommands.Add(KernelsCommand());
        var probe = new Command("cpu-time", "CPU time per neighbor-list build (one thread) on fcc Cu and LAMMPS's LJ system.");
        probe.SetAction(parse => { CpuTimeProbe.Run(parse.InvocationConfiguration.Output); return 0; });
        command.Subcommands.Add(probe);
        return command;
    }

    private static Command MaceCommand()
    {
        var threads = ThreadsOption("1,2");
        var sizes = new Option<string>("--sizes") { Description = "Supercells n of 8n³-atom rattled diamond Si, comma-separated.", DefaultValueFactory = _ => "1,2,3,4" };
        var batch = new Option<bool>("--batch") { Description = "Also time a batch of 64 cells of 8 atoms.", DefaultValueFactory = _ => true };
        var dtypes = DtypesOption();
        var repeats = new Option<int>("--repeats") { Description = "Timed evaluations per case (the best wall time is reported); 0: 5 below 216 atoms, 2 from there.", DefaultValueFactory = _ => 0 };
        var stages = new Option<bool>("--stages") { Description = "Also print the time per stage (radial networks, convolution, product, their reverse passes, ...)." };
        var spline = new Option<int?>("--radial-spline") { Description = "Time the model with its radial networks as cubic splines of N intervals (the approximate radial_spline=N mode; 256 as symmetrix)." };
        var command = new Command("mace", "Time a MACE-MP-0-medium-shaped model (random weights): energy, forces and stress per evaluation.");
        foreach (var o in new Option[] { threads, sizes, batch, dtypes, repeats, stages, spline }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            int r = parse.GetValue(repeats);
            if (r < 0) throw new UsageException($"--repeats {r}: must be 0 or more");
            int? points = parse.GetValue(spline);
            if (points < MDEngine.ML.Mace.MaceOptions.MinimumRadialSplinePoints)
                throw new UsageException($"--radial-spline {points}: must be at least {MDEngine.ML.Mace.MaceOptions.MinimumRadialSplinePoints}");
            MaceTiming.Run(parse.InvocationConfiguration.Output, ParseInts("--threads", parse.GetValue(threads)!),
                ParseInts("--sizes", parse.GetValue(sizes)!), parse.GetValue(batch), ParseDtypes(parse.GetValue(dtypes)!), r, parse.GetValue(stages), points);
            return 0;
        });
        return command;
    }

    private static Command TensorNetCommand()
    {
        var model = new Option<string>("--model") { Description = "matgl TensorNet model folder (model.json + state.pt).", Required = true };
        var threads = ThreadsOption("1,2");
        var sizes = new Option<string>("--sizes") { Description = "Supercells n of 8n³-atom rattled rock-salt NaCl, comma-separated.", DefaultValueFactory = _ => "2,4" };
        var dtypes = DtypesOption();
        var command = new Command("tensornet", "Time a TensorNet model: energy, forces and stress per evaluation.");
        foreach (var o in new Option[] { model, threads, sizes, dtypes }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!;
            if (!Directory.Exists(dir)) throw new UsageException($"--model {dir}: not a folder");
            TensorNetTiming.Run(dir, parse.InvocationConfiguration.Output, ParseInts("--threads", parse.GetValue(threads)!),
                ParseInts("--sizes", parse.GetValue(sizes)!), ParseDtypes(parse.GetValue(dtypes)!));
            return 0;
        });
        return command;
    }

    private static Command KernelsCommand()
    {
        var rest = new Argument<string[]>("benchmarkdotnet-arguments") { Description = "BenchmarkDotNet arguments, e.g. --filter '*Neighbor*' --job short.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("kernels", "BenchmarkDotNet micro-benchmarks of the neighbor-list, pair and EAM kernels.") { TreatUnmatchedTokensAsErrors = false };
        command.Arguments.Add(rest);
        command.SetAction(parse =>
        {
            KernelBenchmarks.Run([.. parse.GetValue(rest) ?? [], .. parse.UnmatchedTokens]);
            return 0;
        });
        return command;
    }

    private static Option<string> ThreadsOption(string defaults) =>
        new("--threads") { Description = "Comma-separated thread counts.", DefaultValueFactory = _ => defaults };

    private static Option<string> DtypesOption() =>
        new("--dtypes") { Description = "float32, float64 or both, comma-separated.", DefaultValueFactory = _ => "float32,float64" };

    private static int[] ParseInts(string option, string text)
    {
        try
        {
            var t = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Distinct().ToArray();
            if (t.Length == 0 || t.Any(x => x < 1)) throw new FormatException();
            return t;
        }
        catch (FormatException) { throw new UsageException($"{option} {text}: expected positive integers separated by commas"); }
    }

    private static torch.ScalarType[] ParseDtypes(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => TorchSettings.ParseDType(d)
            ?? throw new UsageException($"--dtypes {text}: expected float32 and/or float64")).ToArray();
}
