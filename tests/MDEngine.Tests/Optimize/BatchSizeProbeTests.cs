using MDEngine.Geometry;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Optimize;

/// <summary>The atom budget probe: it grows the batch while throughput grows and memory allows, and picks the smallest
/// size near the best. The search runs on modelled timings (a fixed cost per call, as a model that vectorises over the
/// batch; a cost per atom, as a loop), so the tests do not depend on the machine's load; one test times a real
/// potential.</summary>
public sealed class BatchSizeProbeTests
{
    private static readonly BatchSizeProbe Probe = new(PotentialSpec.Parse("auto", [29])) { MaxAtoms = 4096, MemoryLimitBytes = 1L << 30 };

    [Fact]
    public void A_fixed_cost_per_call_grows_the_batch_to_the_largest_size()
    {
        var result = Probe.Search(2, copies => (1e-2, 0));
        Assert.Equal(12, result.Points.Count);
        Assert.Equal(4096, result.Picked);
        Assert.Contains("largest size", result.Reason);
    }

    [Fact]
    public void A_cost_per_atom_stops_after_two_doublings_without_gain_and_picks_the_smallest()
    {
        var result = Probe.Search(2, copies => (1e-3 * copies, 0));
        Assert.Equal("throughput stopped improving", result.Reason);
        Assert.Equal([2, 4, 8], result.Points.Select(p => p.Atoms));
        Assert.Equal(2, result.Picked);
    }

    [Fact]
    public void Overhead_then_saturation_picks_where_throughput_levels_off()
    {
        // 10 ms per call plus 0.1 ms per atom: throughput rises until the per-atom part dominates (~100 atoms), then
        // flattens; the pick is the smallest size within 90 % of the best.
        var result = Probe.Search(4, copies => (1e-2 + 1e-4 * 4 * copies, 0));
        double best = result.Points.Max(p => p.AtomsPerSecond);
        Assert.Equal(result.Points.First(p => p.AtomsPerSecond >= 0.9 * best).Atoms, result.Picked);
        Assert.InRange(result.Picked, 64, 1024);
    }

    [Fact]
    public void Memory_that_would_pass_the_limit_stops_the_growth()
    {
        var probe = new BatchSizeProbe(PotentialSpec.Parse("auto", [29])) { MaxAtoms = 4096, MemoryLimitBytes = 64L << 20 };
        // 1 MiB per atom: a batch of 64 atoms takes the whole 64 MiB, twice that would not fit.
        var result = probe.Search(2, copies => (1e-2, 2L * copies << 20));
        Assert.Contains("memory limit", result.Reason);
        Assert.Equal(64, result.Points[^1].Atoms);
        Assert.Equal(64, result.Picked);
    }

    [Fact]
    public void A_real_potential_is_timed_at_every_size_it_tries()
    {
        var copper = Structure.FromFractional([29, 29], [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0.5)], Cell.Cubic(2.9));
        var probe = new BatchSizeProbe(PotentialSpec.Parse("auto", [29])) { MaxAtoms = 16, MinSecondsPerSize = 0.02 };
        var result = probe.Measure(copper, stress: true);
        Assert.Equal(result.Points.Select(p => p.Atoms), new[] { 2, 4, 8, 16 }.Take(result.Points.Count));
        Assert.All(result.Points, p => Assert.True(p.SecondsPerCall > 0 && double.IsFinite(p.AtomsPerSecond)));
        Assert.Contains(result.Picked, result.Points.Select(p => p.Atoms));
    }
}
