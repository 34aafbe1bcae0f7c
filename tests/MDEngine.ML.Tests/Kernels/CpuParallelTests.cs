using System.Collections.Concurrent;
using System.Diagnostics;
using MDEngine.ML.Kernels;
using MDEngine.ML.Tests.Mace;

namespace MDEngine.ML.Tests.Kernels;

/// <summary>
/// The kernels' scheduling: chunks claimed as the threads go cover every item exactly once, each thread's state is
/// made and disposed once, and the worker team's threads go to sleep when no work comes (a busy-waiting worker would
/// keep a core busy after the model has finished).
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
    public void ChunksCoverEveryItemOnce(int items, int threads, int chunkSize)
    {
        var seen = new int[items];
        var states = new ConcurrentBag<State>();
        CpuParallel.ForChunks(items, threads, chunkSize, () => { var s = new State(); states.Add(s); return s; }, (state, start, end) =>
        {
            Assert.True(end - start is > 0 && end - start <= chunkSizeOrAll(chunkSize, items), $"chunk [{start}, {end})");
            Assert.True(start % chunkSize == 0, $"chunk starts at {start}");
            state.Chunks++;
            for (int i = start; i < end; i++) Interlocked.Increment(ref seen[i]);
        });
        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.True(states.Count <= Math.Max(1, Math.Min(threads, (items + chunkSize - 1) / chunkSize)));
        Assert.All(states, s => Assert.True(s.Disposed));
        Assert.Equal((items + chunkSize - 1) / chunkSize, states.Sum(s => s.Chunks));

        static int chunkSizeOrAll(int chunk, int all) => Math.Min(chunk, all);
    }

    [Theory]
    [InlineData(1000, 2, 1, 63)]   // ~8 chunks a thread
    [InlineData(10, 2, 4, 4)]      // the minimum wins
    [InlineData(3, 2, 1, 1)]
    public void ChunkSizeAimsAtSeveralChunksAThread(int items, int threads, int minimum, int expected) =>
        Assert.Equal(expected, CpuParallel.ChunkSize(items, threads, minimum));

    [Fact]
    public void AnErrorInAChunkReachesTheCaller()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            CpuParallel.ForChunks(100, 2, 5, (start, _) => { if (start == 50) throw new InvalidOperationException("chunk 10"); }));
        Assert.Equal("chunk 10", error.Message);
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
