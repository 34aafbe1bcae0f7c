namespace MDEngine.Dynamics;

/// <summary>
/// Runs several molecular-dynamics runs side by side with one potential call per step for all of them (TorchSim's
/// batched integration): replicas of one structure with their own thermostats and random streams, or different
/// structures. Each run keeps its own state, integrator, neighbor list, observers and checkpoints, and computes exactly
/// what it would alone (bit for bit where the potential's batch equals its single evaluation, as for every classical
/// potential); only the potential calls are shared. Every run must use the same potential object.
/// </summary>
public static class ReplicaDynamics
{
    /// <summary>Runs <paramref name="steps"/> more steps of every run. A run that fails (a blow-up) stops alone; the
    /// failures are thrown together, as an <see cref="AggregateException"/>, once the others have finished.</summary>
    public static void Run(IReadOnlyList<MolecularDynamics> runs, long steps, CancellationToken cancellation = default)
    {
        var thrown = RunAll(runs, runs.Select(_ => steps).ToArray(), cancellation).Where(f => f is not null).Select(f => f!).ToArray();
        if (thrown.Length > 0) throw new AggregateException(thrown);
    }

    /// <summary>Runs <paramref name="steps"/>[k] more steps of run k (runs continued from checkpoints written at
    /// different steps end together); a run that has done its steps leaves the batch. Returns what each run threw
    /// (null for a run that finished), once every run has stopped.</summary>
    public static Exception?[] RunAll(IReadOnlyList<MolecularDynamics> runs, IReadOnlyList<long> steps, CancellationToken cancellation = default)
    {
        if (steps.Count != runs.Count) throw new ArgumentException("one step count per run", nameof(steps));
        var failures = new Exception?[runs.Count];
        if (runs.Count == 0) return failures;
        var potential = runs[0].Forces.Potential;
        if (runs.Any(r => !ReferenceEquals(r.Forces.Potential, potential)))
            throw new ArgumentException("the runs of a batch must share one potential object", nameof(runs));
        var batch = new ForceBatch(potential, runs.Count);
        var threads = runs.Select((run, index) => new Thread(() =>
        {
            try
            {
                run.Forces.JoinBatch(batch, index);
                run.Run(steps[index], cancellation);
            }
            catch (Exception e) { failures[index] = e; }
            finally
            {
                batch.Leave(index);
                run.Forces.LeaveBatch();
            }
        }) { IsBackground = true, Name = $"md-replica-{index}" }).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        return failures;
    }
}
