using System.Diagnostics;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Benchmarks;

/// <summary>
/// Process CPU time per neighbor-list build (single thread), for machines shared with other work where wall-clock
/// means inflate with the load: CPU time counts only the cycles this process ran. Run:
/// <c>mdengine bench cpu-time</c>.
/// </summary>
public static class CpuTimeProbe
{
    public static void Run(TextWriter output)
    {
        var cases = new (string Name, Structure S, double Cutoff)[]
        {
            ("fcc Cu 1008 atoms, 5 Å", Supercell.Repeat(TestSystems.Fcc(29, 3.615), 6, 6, 7), 5.0),
            ("fcc Cu 10192 atoms, 5 Å", Supercell.Repeat(TestSystems.Fcc(29, 3.615), 14, 14, 13), 5.0),
            ("fcc Cu 100920 atoms, 5 Å", Supercell.Repeat(TestSystems.Fcc(29, 3.615), 29, 29, 30), 5.0),
            ("LJ in.lj 32000 atoms, 2.8σ", Supercell.Repeat(TestSystems.Fcc(18, Math.Cbrt(4 / 0.8442)), 20, 20, 20), 2.8),
        };
        output.WriteLine("| System | List | Entries | Mean CPU time per build | Best | Entries/s (mean CPU) |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var (name, s, cutoff) in cases)
            foreach (bool full in new[] { false, true })
            {
                var list = LinkedCellNeighbors.Build(s, cutoff, full, threads: 1);
                int repeats = Math.Max(10, 2_000_000 / Math.Max(1, list.Count) * 5);
                double best = double.PositiveInfinity, total = 0;
                for (int r = 0; r < repeats; r++)
                {
                    var before = Process.GetCurrentProcess().TotalProcessorTime;
                    list = LinkedCellNeighbors.Build(s, cutoff, full, threads: 1);
                    double ms = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
                    best = Math.Min(best, ms);
                    total += ms;
                }
                output.WriteLine(FormattableString.Invariant(
                    $"| {name} | {(full ? "full" : "half")} | {list.Count} | {total / repeats:F1} ms | {best:F1} ms | {list.Count / (total / repeats) / 1000:F1} M |"));
            }
    }
}
