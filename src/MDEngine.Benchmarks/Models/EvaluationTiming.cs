using System.Diagnostics;
using MDEngine.ML;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Benchmarks.Models;

/// <summary>How the model benchmarks time a potential: energy, forces and stress of a batch, on neighbor lists built
/// once outside the timing, after one warm-up call.</summary>
public static class EvaluationTiming
{
    /// <summary>Seconds per evaluation: the best wall time of <paramref name="repeats"/> calls and the mean processor
    /// time of this process (all threads) per call.</summary>
    public static (double Wall, double Cpu) Time(Potential potential, IReadOnlyList<Structure> structures, int repeats)
    {
        var lists = structures.Select(s => NeighborListBuilder.Build(s, potential.Cutoff, potential.NeedsFullNeighborList)).ToArray();
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

    /// <summary>Mean seconds per evaluation charged to each stage of the model (<see cref="StageClock"/>), over
    /// <paramref name="repeats"/> calls after one warm-up call; empty for a model without stages.</summary>
    public static IReadOnlyList<(string Stage, double Wall, double Cpu)> Stages(Potential potential, IReadOnlyList<Structure> structures, int repeats)
    {
        var lists = structures.Select(s => NeighborListBuilder.Build(s, potential.Cutoff, potential.NeedsFullNeighborList)).ToArray();
        potential.ComputeBatch(structures, lists, Quantities.All);
        StageClock.Start();
        for (int r = 0; r < repeats; r++)
        {
            StageClock.Lap();
            potential.ComputeBatch(structures, lists, Quantities.All);
        }
        return StageClock.Stop().Select(s => (s.Stage, s.Wall / repeats, s.Cpu / repeats)).ToList();
    }
}
