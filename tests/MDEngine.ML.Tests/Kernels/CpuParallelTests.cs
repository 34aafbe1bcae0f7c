using System.Collections.Concurrent;
using System.Diagnostics;
using MDEngine.ML.Kernels;
using MDEngine.ML.Tests.Mace;

namespace MDEngine.ML.Tests.Kernels;

/// <summary>
/// The kernels' scheduling: chunks claimed as the threads go cover every item exactly once, in the same guided
/// sequence whichever thread claims which, each thread's state is made and disposed once, and the worker team's
/// threads go to sleep when no work comes (a busy-waiting worker would keep a core busy after the model has finished).
/// </summary>
[Collection("torch threads")] // runs alone: the idle test reads the process's processor time
public class CpuParallelTests
{
    [Theory]
    [InlineData(1000, 2, 7)]
    [InlineData(1000, 3, 1)]
    [InlineData(5, 4, 2)]
    [InlineData(1, 2, 64)]
    [InlineData(0, 2, 8)]
    [InlineData(2860, 2, 32)]
    [InlineData(100, 1, 8)]        // one thread: one range
    public void ChunksCoverEveryItemOnce(int items, int threads, int minimumChunk)
    {
        var seen = new int[items];
        var states = new ConcurrentBag<State>();
        var chunks = new ConcurrentBag<(int Start, int End)>();
        CpuParallel.ForChunks(items, threads, minimumChunk, () => { var s = new State(); states.Add(s); return s; }, (state, start, end) =>
        {
            chunks.Add((start, end));
            state.Chunks++;
            for (int i = start; i < end; i++) Interlocked.Increment(ref seen[i]);
        });
        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.True(states.Count <= Math.Max(1, Math.Min(threads, (items + minimumChunk - 1) / minimumChunk)));
        Assert.All(states, s => Assert.True(s.Disposed));
        // The chunks are the guided sequence, whichever thread claimed which.
        Assert.Equal(GuidedSequence(items, threads, minimumChunk), chunks.OrderBy(c => c.Start));
        Assert.Equal(chunks.Count, states.Sum(s => s.Chunks));
    }

    /// <summary>The chunks a single thread would claim one after the other (one range when one thread runs them).</summary>
    private static List<(int Start, int End)> GuidedSequence(int items, int threads, int minimumChunk)
    {
        threads = Math.Clamp(threads, 1, Math.Max(1, (items + minimumChunk - 1) / minimumChunk));
        if (threads == 1) return items == 0 ? [] : [(0, items)];
        var chunks = new List<(int, int)>();
        for (int start = 0; start < items;)
        {
            int end = Math.Min(items, start + CpuParallel.GuidedChunk(items - start, threads, minimumChunk));
            chunks.Add((start, end));
            start = end;
        }
        return chunks;
    }

    [Theory]
    [InlineData(2860, 2, 32, 736)]  // a quarter of the rows, in whole blocks of 32
    [InlineData(40, 2, 32, 32)]     // never under the minimum
    [InlineData(100, 2, 1, 25)]
    [InlineData(3, 2, 1, 1)]
    public void AChunkIsAShareOfWhatRemains(int remaining, int threads, int minimum, int expected) =>
        Assert.Equal(expected, CpuParallel.GuidedChunk(remaining, threads, minimum));

    [Fact]
    public void GuidedChunksShrinkToTheMinimum()
    {
        var chunks = GuidedSequence(2860, 2, 32);
        Assert.True(chunks.Count is > 8 and < 30, $"{chunks.Count} chunks");
        Assert.All(chunks.Zip(chunks.Skip(1)), p => Assert.True(p.Second.End - p.Second.Start <= p.First.End - p.First.Start));
        Assert.Equal(32, chunks[^2].End - chunks[^2].Start);
    }

    [Fact]
    public void AnErrorInAChunkReachesTheCaller()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            CpuParallel.ForChunks(100, 2, 5, (start, end) => { if (start <= 50 && 50 < end) throw new InvalidOperationException("item 50"); }));
        Assert.Equal("item 50", error.Message);
    }

    [Fact]
    public void IdleWorkersSleep()
    {
        // Many short sections, as a model evaluation runs them, then nothing: the process should use (almost) no
        // processor time while it waits.
        for (int round = 0; round < 5000; round++) CpuParallel.For(2, _ => Thread.SpinWait(50));
        Thread.Sleep(50); // past the workers' spinning
        // The quietest of a few windows: the runtime's own background work (tiered compilation of the methods just
        // run hot, the collector) comes and goes, where a worker that spins on keeps a whole core busy (1.0) in each.
        double busy = Enumerable.Range(0, 4).Min(_ => CoresBusyOver(TimeSpan.FromMilliseconds(250)));
        Assert.True(busy < 0.5, $"the process kept {busy:F2} cores busy while idle");
    }

    private static double CoresBusyOver(TimeSpan window)
    {
        var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Thread.Sleep(window);
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalSeconds / clock.Elapsed.TotalSeconds;
    }

    private sealed class State : IDisposable
    {
        public int Chunks;
        public bool Disposed;
        public void Dispose() => Disposed = true;
    }
}
