using System.Diagnostics;
using MDEngine.ML;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using TorchSharp;

namespace MDEngine.Benchmarks.Models;

/// <summary>How the model benchmarks time a potential: energy, forces and stress of a batch, on neighbor lists built
/// once outside the timing, after one warm-up call.</summary>
public static class EvaluationTiming
{
    /// <summary>Seconds per evaluation: the best wall time of <paramref name="repeats"/> calls and the mean processor
    /// time of this process (all threads) per call.</summary>
    public static (double Wall, double Cpu) Time(Potential potential, IReadOnlyList<Structure> structures, int repeats)
    {
        var lists = NeighborLists(potential, structures);
        potential.ComputeBatch(structures, lists, Quantities.All);
        var clock = CpuAndWallClock.Start();
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            potential.ComputeBatch(structures, lists, Quantities.All);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return (best, clock.CpuSeconds / repeats);
    }

    /// <summary>Evaluates the structures again and again, the thread counts taking turns, for at least
    /// <paramref name="seconds"/> seconds and 40 calls at each thread count.</summary>
    public static void WarmUp(Potential potential, IReadOnlyList<Structure> structures, int[] threads, double seconds)
    {
        var lists = NeighborLists(potential, structures);
        int before = torch.get_num_threads();
        var watch = Stopwatch.StartNew();
        try
        {
            for (int calls = 0; calls < 40 || watch.Elapsed.TotalSeconds < seconds; calls++)
                foreach (int t in threads) { torch.set_num_threads(t); potential.ComputeBatch(structures, lists, Quantities.All); }
        }
        finally { torch.set_num_threads(before); }
    }

    /// <summary>
    /// Seconds per evaluation at each of <paramref name="threads"/> (torch's thread count, which the ML models' own
    /// kernels follow), the thread counts taking turns: after a warm-up call at each, <paramref name="rounds"/> rounds
    /// of one call per thread count. Best wall time and mean processor time of the process per call, per thread count.
    /// </summary>
    public static (double Wall, double Cpu)[] Alternate(Potential potential, IReadOnlyList<Structure> structures, int[] threads, int rounds)
    {
        var lists = NeighborLists(potential, structures);
        var best = threads.Select(_ => double.MaxValue).ToArray();
        var cpu = new double[threads.Length];
        int before = torch.get_num_threads();
        try
        {
            foreach (int t in threads) { torch.set_num_threads(t); potential.ComputeBatch(structures, lists, Quantities.All); }
            for (int r = 0; r < rounds; r++)
                for (int k = 0; k < threads.Length; k++)
                {
                    torch.set_num_threads(threads[k]);
                    var clock = CpuAndWallClock.Start();
                    var watch = Stopwatch.StartNew();
                    potential.ComputeBatch(structures, lists, Quantities.All);
                    best[k] = Math.Min(best[k], watch.Elapsed.TotalSeconds);
                    cpu[k] += clock.CpuSeconds / rounds;
                }
        }
        finally { torch.set_num_threads(before); }
        return best.Zip(cpu).ToArray();
    }

    /// <summary>Mean seconds per evaluation charged to each stage of the model (<see cref="StageClock"/>), over
    /// <paramref name="repeats"/> calls after one warm-up call; empty for a model without stages.</summary>
    public static IReadOnlyList<(string Stage, double Wall, double Cpu)> Stages(Potential potential, IReadOnlyList<Structure> structures, int repeats)
    {
        var lists = NeighborLists(potential, structures);
        potential.ComputeBatch(structures, lists, Quantities.All);
        StageClock.Start();
        for (int r = 0; r < repeats; r++)
        {
            StageClock.Lap();
            potential.ComputeBatch(structures, lists, Quantities.All);
        }
        return StageClock.Stop().Select(s => (s.Stage, s.Wall / repeats, s.Cpu / repeats)).ToList();
    }

    /// <summary>The lists a potential needs for the structures, built once outside the timing.</summary>
    public static NeighborList[] NeighborLists(Potential potential, IReadOnlyList<Structure> structures) =>
        structures.Select(s => NeighborListBuilder.Build(s, potential.Cutoff, potential.NeedsFullNeighborList)).ToArray();
}
