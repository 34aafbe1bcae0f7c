using static TorchSharp.torch;

namespace MDEngine.ML.Kernels;

/// <summary>
/// How the CPU kernels of a model share the processor: one team of threads, MDEngine's own. A model that parallelises
/// its heavy stages itself (<see cref="Graphs.GraphModel.ParallelisesCpuItself"/>) is evaluated inside
/// <see cref="OwnThreads"/>: the kernels split their work over torch's thread count as the user set it, and torch's
/// intra-op pool is set to one thread for the duration, so that the many small torch operations between the kernels run
/// on the calling thread. Two pools on the same cores (OpenMP's and .NET's) otherwise wake and put each other's workers
/// to sleep at every operation — some 1,500 context switches per MACE evaluation of 64 atoms at two threads — and a
/// worker of one pool that waits takes the core from the other's.
/// </summary>
public static class CpuParallel
{
    [ThreadStatic] private static int _owned;
    [ThreadStatic] private static bool _inSection;

    /// <summary>Threads the kernels use: one within a parallel section (its work is already split), within
    /// <see cref="OwnThreads"/> the count torch had on entry, else torch's.</summary>
    public static int Threads => _inSection ? 1 : _owned > 0 ? _owned : Math.Max(1, get_num_threads());

    /// <summary>True on a thread while it runs a section of <see cref="For"/>.</summary>
    public static bool InSection => _inSection;

    /// <summary>True within <see cref="OwnThreads"/> on this thread: the stages that can split their work do.</summary>
    public static bool Owned => _owned > 0;

    /// <summary>Takes torch's thread count for the kernels and runs torch's own operations on one thread until disposed.</summary>
    public static IDisposable OwnThreads() => new Ownership();

    private sealed class Ownership : IDisposable
    {
        private readonly int _previousOwned, _torchThreads;
        private bool _disposed;

        public Ownership()
        {
            _previousOwned = _owned;
            _torchThreads = get_num_threads();
            _owned = Threads;
            if (_torchThreads != 1) set_num_threads(1);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (_torchThreads != 1) set_num_threads(_torchThreads);
            _owned = _previousOwned;
        }
    }

    /// <summary>Runs body(0 … count−1), in parallel when count &gt; 1 (the calling thread takes part); within a
    /// section <see cref="Threads"/> is one, so that nested kernels run on the section's thread.</summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 1) { body(0); return; }
        void Section(int k)
        {
            bool outer = _inSection;
            _inSection = true;
            try { body(k); }
            finally { _inSection = outer; }
        }
        if (!WorkerTeam.TryRun(count, Section)) Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count }, Section);
    }

    /// <summary>body with torch on one thread (the section's work is already split) and autograd on or off: for torch
    /// work inside a section of <see cref="For"/>. Its temporaries are freed; what it returns belongs to the caller.</summary>
    public static T OnSectionThread<T>(Func<T> body, bool grad)
    {
        if (get_num_threads() != 1) set_num_threads(1);
        using var scope = NewDisposeScope();
        using var mode = grad ? enable_grad() : no_grad();
        var result = body();
        if (result is Tensor t) t.DetachFromDisposeScope();
        return result;
    }

    /// <summary>Splits [0, items) into at most <paramref name="threads"/> contiguous ranges of near-equal size and runs
    /// range(start, end) for each, in parallel.</summary>
    public static void ForRanges(int items, int threads, Action<int, int> range)
    {
        int count = RangeCount(items, threads);
        For(count, k =>
        {
            var (start, length) = RangeOf(items, count, k);
            range(start, start + length);
        });
    }

    /// <summary>
    /// Runs range(start, end) over [0, items) in chunks of <paramref name="chunkSize"/> consecutive items, which up to
    /// <paramref name="threads"/> threads claim in order, each taking the next unclaimed chunk when it has finished its
    /// last (OpenMP's dynamic schedule). A thread that runs slower — its core shared with other work, its caches colder,
    /// its items heavier — takes fewer chunks and the threads finish together, where fixed halves leave the faster one
    /// waiting: on a shared two-core host the halves of a MACE kernel differ by 5–20% from call to call.
    /// The chunks are the same whichever thread runs them, so results do not depend on the timing as long as a chunk's
    /// work depends on its own items alone (no per-thread sums).
    /// </summary>
    public static void ForChunks(int items, int threads, int chunkSize, Action<int, int> range) =>
        ForChunks<object?>(items, threads, chunkSize, () => null, (_, start, end) => range(start, end));

    /// <summary><see cref="ForChunks(int, int, int, Action{int, int})"/> with a state per thread (scratch memory), made
    /// by <paramref name="state"/> on the thread before its first chunk and disposed after its last.</summary>
    public static void ForChunks<TState>(int items, int threads, int chunkSize, Func<TState> state, Action<TState, int, int> range)
    {
        if (items <= 0) return;
        chunkSize = Math.Max(1, chunkSize);
        int chunks = (int)(((long)items + chunkSize - 1) / chunkSize);
        var claimed = new ChunkCounter();
        For(Math.Clamp(threads, 1, chunks), _ =>
        {
            var own = state();
            try
            {
                for (int c; (c = Interlocked.Increment(ref claimed.Next) - 1) < chunks;)
                    range(own, c * chunkSize, (int)Math.Min(items, (long)(c + 1) * chunkSize));
            }
            finally { (own as IDisposable)?.Dispose(); }
        });
    }

    private sealed class ChunkCounter { public int Next; }

    /// <summary>Chunks a thread takes on average in <see cref="ForChunks(int, int, int, Action{int, int})"/>: enough that
    /// the last one, which the other thread may wait for, is a small part of the whole.</summary>
    private const int ChunksPerThread = 8;

    /// <summary>A chunk size for <paramref name="items"/> over <paramref name="threads"/> threads: about
    /// <see cref="ChunksPerThread"/> chunks a thread, none under <paramref name="minimum"/> items.</summary>
    public static int ChunkSize(int items, int threads, int minimum = 1) =>
        Math.Max(Math.Max(1, minimum), (int)(((long)items + (long)threads * ChunksPerThread - 1) / ((long)threads * ChunksPerThread)));

    /// <summary>How many ranges <see cref="ForRanges"/> makes of <paramref name="items"/> for <paramref name="threads"/>.</summary>
    public static int RangeCount(int items, int threads) => Math.Max(1, Math.Min(threads, items));

    /// <summary>Range k of <paramref name="count"/> near-equal contiguous ranges of [0, items).</summary>
    public static (int Start, int Length) RangeOf(int items, int count, int k)
    {
        int start = (int)((long)items * k / count), end = (int)((long)items * (k + 1) / count);
        return (start, end - start);
    }
}
