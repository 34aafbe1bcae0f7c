using System.Diagnostics;

namespace MDEngine.ML.Kernels;

/// <summary>
/// A fixed team of background threads for the CPU kernels' parallel sections: section k of <see cref="Run"/> goes to
/// worker k (the caller takes section 0), always the same thread, so each keeps its torch setting (one intra-op
/// thread), its warm malloc arena and its caches from one call to the next. Between sections a worker spins for a
/// short while (most sections follow each other within microseconds) and then sleeps. The .NET thread pool, by
/// contrast, hands sections to whichever workers it wakes, and its idle workers spin looking for work while the
/// caller runs the serial code between sections, which on two cores takes the core from the caller.
/// </summary>
internal sealed class WorkerTeam
{
    /// <summary>How long an idle worker spins before it sleeps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 0.2 ms

    private static WorkerTeam? _shared;
    private static readonly object Gate = new();
    [ThreadStatic] private static bool _onWorker;

    private readonly Worker[] _workers;
    private int _busy;

    private WorkerTeam(int workers) => _workers = Enumerable.Range(1, workers).Select(k => new Worker(k)).ToArray();

    /// <summary>Evaluations under way that hold the team (<see cref="Hold"/>): while any is, idle workers spin and do
    /// not sleep.</summary>
    private static int _holds;

    /// <summary>
    /// Keeps the workers awake until disposed: those asleep are woken now, and none goes to sleep between sections.
    /// A model evaluation's sections are separated by its serial steps (building the graph before the first kernel,
    /// the autograd engine between forward and reverse), some of them longer than a worker's short spin; a worker
    /// that slept takes tens of microseconds or more to wake (a halted virtual processor longer), which the first
    /// section after each such step waited for.
    /// </summary>
    public static IDisposable Hold()
    {
        Interlocked.Increment(ref _holds);
        if (_shared is { } team) foreach (var worker in team._workers) worker.Wake();
        return new Release();
    }

    private sealed class Release : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref _holds); }
    }

    /// <summary>Runs body(0 … count−1), body(0) on the calling thread; false (nothing run) when the team is in use —
    /// by another caller, or because the caller is one of its workers — and the caller must run the sections itself.</summary>
    public static bool TryRun(int count, Action<int> body)
    {
        if (_onWorker) return false;
        var team = _shared;
        if (team is null || team._workers.Length < count - 1)
            lock (Gate)
            {
                team = _shared;
                if (team is null || team._workers.Length < count - 1) _shared = team = new WorkerTeam(count - 1);
            }
        if (Interlocked.CompareExchange(ref team._busy, 1, 0) != 0) return false;
        try { team.Run(count, body); }
        finally { Volatile.Write(ref team._busy, 0); }
        return true;
    }

    private void Run(int count, Action<int> body)
    {
        for (int k = 1; k < count; k++) _workers[k - 1].Start(body);
        Exception? error = null;
        try { body(0); }
        catch (Exception e) { error = e; }
        for (int k = 1; k < count; k++) error ??= _workers[k - 1].Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }

    private sealed class Worker
    {
        private readonly int _index;
        private readonly SemaphoreSlim _wake = new(0);
        private Action<int>? _job;
        private int _pending; // 1 from Start until the job has run
        private int _sleeping; // 1 while the worker waits on _wake (or is about to)
        private Exception? _error;

        public Worker(int index)
        {
            _index = index;
            new Thread(Loop) { IsBackground = true, Name = $"MDEngine worker {index}" }.Start();
        }

        public void Start(Action<int> body)
        {
            _job = body; _error = null;
            Interlocked.Exchange(ref _pending, 1);
            Wake();
        }

        /// <summary>Wakes the worker if it sleeps; a spinning one finds its job (or, woken by <see cref="Hold"/>,
        /// spins on). Only a sleeping worker is released: a release per section would pile up in the semaphore, and the
        /// worker would then spin through that many sleeps, a core busy for nothing.</summary>
        public void Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _wake.Release();
        }

        public Exception? Join()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
            return _error;
        }

        private void Loop()
        {
            _onWorker = true;
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref _pending) == 0)
                {
                    if (Stopwatch.GetTimestamp() < deadline || Volatile.Read(ref _holds) > 0) Thread.SpinWait(20);
                    else
                    {
                        Interlocked.Exchange(ref _sleeping, 1);
                        if (Volatile.Read(ref _pending) == 0) _wake.Wait(); // Start sees _sleeping and releases
                        else if (Interlocked.Exchange(ref _sleeping, 0) == 0) _wake.Wait(); // Start took the flag: take its release
                        deadline = Stopwatch.GetTimestamp() + SpinTicks;
                    }
                }
                try { _job!(_index); }
                catch (Exception e) { _error = e; }
                _job = null;
                Volatile.Write(ref _pending, 0);
            }
        }
    }
}
