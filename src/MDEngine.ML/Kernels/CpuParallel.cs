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
        private readonly IDisposable? _hold;
        private bool _disposed;

        public Ownership()
        {
            _previousOwned = _owned;
            _torchThreads = get_num_threads();
            _owned = Threads;
            if (_torchThreads != 1) set_num_threads(1);
            if (_owned > 1) _hold = WorkerTeam.Hold();
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _hold?.Dispose();
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
    /// Runs range(start, end) over [0, items) in chunks of consecutive items that up to <paramref name="threads"/>
    /// threads claim in order, each taking the next chunk when it has finished its last (OpenMP's guided schedule).
    /// A thread that runs slower — its core shared with other work, its caches colder, its items heavier — takes fewer
    /// chunks and the threads finish together, where fixed halves leave the faster one waiting: on a shared two-core
    /// host the halves of a MACE kernel differ by 5–20% from call to call. Each chunk is a share of what remains
    /// (<see cref="GuidedChunk"/>): large ones first, few claims in all, and small ones at the end, so that the thread
    /// that finishes first waits little for the other's last chunk.
    /// Where the chunks start depends on the items alone, not on which thread claims them, so results do not depend on
    /// the timing as long as a chunk's work depends on its own items alone (no per-thread sums).
    /// </summary>
    public static void ForChunks(int items, int threads, int minimumChunk, Action<int, int> range) =>
        ForChunks<object?>(items, threads, minimumChunk, () => null, (_, start, end) => range(start, end));

    /// <summary><see cref="ForChunks(int, int, int, Action{int, int})"/> with a state per thread (scratch memory), made
    /// by <paramref name="state"/> on the thread before its first chunk and disposed after its last.</summary>
    public static void ForChunks<TState>(int items, int threads, int minimumChunk, Func<TState> state, Action<TState, int, int> range)
    {
        if (items <= 0) return;
        minimumChunk = Math.Max(1, minimumChunk);
        threads = (int)Math.Clamp(threads, 1, ((long)items + minimumChunk - 1) / minimumChunk);
        if (threads == 1)
        {
            // Nothing to balance: one range, as the kernel would run it unsplit (each chunk costs a pass over the
            // kernel's weights, which for a few hundred rows is much of the work).
            var only = state();
            try { range(only, 0, items); }
            finally { (only as IDisposable)?.Dispose(); }
            return;
        }
        var claimed = new ChunkCounter();
        For(threads, _ =>
        {
            var own = state();
            try
            {
                while (true)
                {
                    int start = Volatile.Read(ref claimed.Next);
                    if (start >= items) break;
                    int end = (int)Math.Min(items, (long)start + GuidedChunk(items - start, threads, minimumChunk));
                    if (Interlocked.CompareExchange(ref claimed.Next, end, start) == start) range(own, start, end);
                }
            }
            finally { (own as IDisposable)?.Dispose(); }
        });
    }

    private sealed class ChunkCounter { public int Next; }

    /// <summary>The share of the remaining items a claim takes in <see cref="ForChunks(int, int, int, Action{int, int})"/>
    /// is 1/(Share·threads): the first chunk a quarter of the work at two threads, the last ones the minimum.</summary>
    private const int Share = 2;

    /// <summary>The size of the chunk claimed when <paramref name="remaining"/> items are left: a share of them, a
    /// multiple of <paramref name="minimumChunk"/> (kernels that block their rows keep whole blocks).</summary>
    public static int GuidedChunk(int remaining, int threads, int minimumChunk)
    {
        long share = ((long)remaining + (long)Share * threads - 1) / ((long)Share * threads);
        long blocks = Math.Max(1, (share + minimumChunk - 1) / minimumChunk);
        return (int)Math.Min(int.MaxValue, blocks * minimumChunk);
    }

    /// <summary>How many ranges <see cref="ForRanges"/> makes of <paramref name="items"/> for <paramref name="threads"/>.</summary>
    public static int RangeCount(int items, int threads) => Math.Max(1, Math.Min(threads, items));

    /// <summary>Range k of <paramref name="count"/> near-equal contiguous ranges of [0, items).</summary>
    public static (int Start, int Length) RangeOf(int items, int count, int k)
    {
        int start = (int)((long)items * k / count), end = (int)((long)items * (k + 1) / count);
        return (start, end - start);
    }
}
