using System.Diagnostics;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>One size tried by <see cref="BatchSizeProbe"/>: atoms in the batch, seconds per potential call, atoms
/// evaluated per second, and the growth of the process's peak memory since the probe began (bytes).</summary>
public sealed record BatchProbePoint(int Atoms, double SecondsPerCall, double AtomsPerSecond, long PeakMemoryGrowth);

/// <summary>What the probe picked and why, with every size it tried.</summary>
public sealed record BatchProbeResult(int Picked, string Reason, IReadOnlyList<BatchProbePoint> Points);

/// <summary>
/// Picks the atom budget of a batched relaxation for the potential at hand, as TorchSim's autobatcher does, by a short
/// measurement: batches of copies of a sample structure, doubling in size, each timed over a few
/// <see cref="Potential.ComputeBatch"/> calls. Growing stops when throughput (atoms per second) has not improved by
/// <see cref="Gain"/> over the best for two doublings, when the next size would need more memory than
/// <see cref="MemoryLimitBytes"/> (the peak memory growth per atom measured so far, extrapolated), when a call takes
/// longer than <see cref="MaxSecondsPerCall"/>, or at <see cref="MaxAtoms"/>. The pick is the smallest size within
/// <see cref="Tolerance"/> of the best throughput: classical potentials, whose batch is a loop, get a small batch;
/// models that vectorise over the batch get the size where they stop gaining.
/// </summary>
public sealed class BatchSizeProbe(Potential potential)
{
    public int MaxAtoms { get; init; } = 4096;
    /// <summary>Memory the batch may take beyond what the process used when the probe began (default: a quarter of
    /// the memory available to the process).</summary>
    public long MemoryLimitBytes { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;
    public double Gain { get; init; } = 1.05;
    public double Tolerance { get; init; } = 0.9;
    public double MaxSecondsPerCall { get; init; } = 5;
    /// <summary>Least time spent timing each size (s): short calls are repeated until it is reached.</summary>
    public double MinSecondsPerSize { get; init; } = 0.2;

    /// <summary>Measures with copies of <paramref name="sample"/>, asking for stress too when <paramref name="stress"/>
    /// (relaxations with a cell filter).</summary>
    public BatchProbeResult Measure(Structure sample, bool stress)
    {
        var what = stress ? Quantities.All : Quantities.EnergyAndForces; // the batch drops stress where a cell is not periodic
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long baseline = process.PeakWorkingSet64;
        return Search(sample.Count, copies =>
        {
            var batch = Enumerable.Range(0, copies).Select(_ => sample.Clone()).ToArray();
            var bound = new BoundPotential(potential, skin: 0);
            var lists = batch.Select(bound.Neighbors).ToArray();
            // Warm-up, not timed: allocations, kernel choices and the runtime's recompilation of hot code (which
            // would otherwise make the first, smallest size look slow).
            var clock = Stopwatch.StartNew();
            int calls = 0;
            do { potential.ComputeBatch(batch, lists, what); calls++; }
            while (clock.Elapsed.TotalSeconds < MinSecondsPerSize / 4 && calls < 1000);
            clock.Restart();
            calls = 0;
            do { potential.ComputeBatch(batch, lists, what); calls++; }
            while (clock.Elapsed.TotalSeconds < MinSecondsPerSize && calls < 10000);
            double perCall = clock.Elapsed.TotalSeconds / calls;
            process.Refresh();
            return (perCall, Math.Max(0, process.PeakWorkingSet64 - baseline));
        });
    }

    /// <summary>The search itself, on any measurement: <paramref name="measure"/> gives, for a batch of that many copies
    /// of a structure of <paramref name="atomsPerCopy"/> atoms, the seconds per call and the peak memory growth.</summary>
    public BatchProbeResult Search(int atomsPerCopy, Func<int, (double SecondsPerCall, long PeakMemoryGrowth)> measure)
    {
        var points = new List<BatchProbePoint>();
        int copies = 1, stale = 0;
        string reason = $"reached the largest size tried ({MaxAtoms} atoms)";
        double best = 0;
        while (copies * atomsPerCopy <= Math.Max(MaxAtoms, atomsPerCopy))
        {
            var (perCall, growth) = measure(copies);
            int atoms = copies * atomsPerCopy;
            var point = new BatchProbePoint(atoms, perCall, atoms / perCall, growth);
            points.Add(point);
            if (point.AtomsPerSecond > best * Gain) { best = point.AtomsPerSecond; stale = 0; }
            else if (++stale >= 2) { reason = "throughput stopped improving"; break; }
            best = Math.Max(best, point.AtomsPerSecond);
            if (perCall > MaxSecondsPerCall) { reason = FormattableString.Invariant($"a call took {perCall:F1} s"); break; }
            if ((double)growth / atoms * 2 * atoms > MemoryLimitBytes) { reason = $"twice the size would exceed the memory limit ({MemoryLimitBytes / (1 << 20)} MiB)"; break; }
            copies *= 2;
        }
        int picked = points.First(p => p.AtomsPerSecond >= Tolerance * best).Atoms;
        return new BatchProbeResult(picked, reason, points);
    }
}
