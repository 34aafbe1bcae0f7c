using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MDEngine.IO;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine neighbors FILE --cutoff R [--json]</c>: pair count, neighbors per atom and the shortest
/// distance of one frame.</summary>
internal static class NeighborsCommand
{
    /// <summary>Refuse cutoffs whose list would not fit in memory (52 bytes per entry).</summary>
    private const double MaxEntries = 5e8;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Structure file (extxyz, xyz, cif, POSCAR/CONTCAR/.vasp)." };
        // Read as text so that a malformed value is a usage error (exit code 2) like an out-of-range one.
        var cutoff = new Option<string?>("--cutoff") { Description = "Neighbor cutoff radius (Å), required." };
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON object." };
        var frame = new Option<int>("--frame") { Description = "Frame index (negative counts from the end).", DefaultValueFactory = _ => -1 };
        var format = new Option<string?>("--format") { Description = "File format: extxyz, xyz, cif, vasp, lammps-data, lammps-dump, traj or db (default: from the file name)." };
        var command = new Command("neighbors", "Count the neighbor pairs within a cutoff: pairs, neighbors per atom, shortest distance.");
        command.Arguments.Add(file);
        command.Options.Add(cutoff);
        command.Options.Add(json);
        command.Options.Add(frame);
        command.Options.Add(format);
        command.SetAction(parse =>
        {
            double r = ParseCutoff(parse.GetValue(cutoff));
            string path = parse.GetValue(file)!;
            var s = StructureFile.ReadFrame(path, parse.GetValue(frame), parse.GetValue(format));
            CheckSize(s, r);
            var summary = Summarize(NeighborListBuilder.Build(s, r, full: true));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) output.WriteLine(ToJson(path, s, r, summary));
            else WriteText(output, path, s, r, summary);
            return 0;
        });
        return command;
    }

    private static double ParseCutoff(string? text)
    {
        if (text is null) throw new UsageException("--cutoff is required (Å).");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) || !(r > 0) || !double.IsFinite(r))
            throw new UsageException($"--cutoff must be a positive number of Å, not '{text}'.");
        return r;
    }

    private sealed record Summary(int Edges, int MinNeighbors, double MeanNeighbors, int MaxNeighbors, double? MinDistance, int MinI, int MinJ);

    private static Summary Summarize(NeighborList full)
    {
        int n = full.AtomCount, min = n == 0 ? 0 : int.MaxValue, max = 0;
        for (int i = 0; i < n; i++)
        {
            int k = full.Offsets[i + 1] - full.Offsets[i];
            min = Math.Min(min, k); max = Math.Max(max, k);
        }
        int closest = -1;
        for (int p = 0; p < full.Count; p++)
            if (closest < 0 || full.Distances[p] < full.Distances[closest]) closest = p;
        return new Summary(full.Count, min, n == 0 ? 0 : (double)full.Count / n, max,
            closest < 0 ? null : full.Distances[closest], closest < 0 ? -1 : full.I[closest], closest < 0 ? -1 : full.J[closest]);
    }

    /// <summary>A cheap upper estimate of the full list's size, to refuse a cutoff that would exhaust memory.</summary>
    private static void CheckSize(Structure s, double r)
    {
        double n = s.Count, estimate;
        if (s.Pbc.AllPeriodic)
            estimate = n * n / s.Volume * 4.0 / 3.0 * Math.PI * r * r * r;
        else
        {
            var widths = new Cell(CellCompletion.Complete(s.Cell.Matrix, s.Pbc)).PerpendicularWidths();
            estimate = n * n;
            for (int k = 0; k < 3; k++) if (s.Pbc[k]) estimate *= 2 * Math.Ceiling(r / widths[k]) + 1;
        }
        if (estimate > MaxEntries)
            throw new UsageException(FormattableString.Invariant($"--cutoff {r} Å would list about {estimate:G3} neighbor pairs; choose a smaller cutoff."));
    }

    private static void WriteText(TextWriter output, string path, Structure s, double r, Summary m)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(inv, "{0}: {1}, {2} atoms, pbc={3}, cutoff {4} Å", path, s.Formula, s.Count, s.Pbc, r));
        output.WriteLine(string.Format(inv, "pairs: {0} (each once); full-list entries: {1} (directed, own periodic images included)", m.Edges / 2, m.Edges));
        output.WriteLine(string.Format(inv, "neighbors per atom: min {0}, mean {1:F4}, max {2}", m.MinNeighbors, m.MeanNeighbors, m.MaxNeighbors));
        output.WriteLine(m.MinDistance is { } d
            ? string.Format(inv, "shortest distance: {0:F6} Å (atoms {1} and {2})", d, m.MinI, m.MinJ)
            : "shortest distance: none within the cutoff");
    }

    private static string ToJson(string path, Structure s, double r, Summary m)
    {
        var result = new Dictionary<string, object?>
        {
            ["file"] = path,
            ["atoms"] = s.Count,
            ["cutoff"] = r,
            ["edges"] = m.Edges,
            ["pairs"] = m.Edges / 2,
            ["min_neighbors"] = m.MinNeighbors,
            ["mean_neighbors"] = m.MeanNeighbors,
            ["max_neighbors"] = m.MaxNeighbors,
            ["min_distance"] = m.MinDistance,
        };
        return JsonSerializer.Serialize(result);
    }
}
