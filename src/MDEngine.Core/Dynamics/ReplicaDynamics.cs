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
        if (runs.Count == 0) return;
        var potential = runs[0].Forces.Potential;
        if (runs.Any(r => !ReferenceEquals(r.Forces.Potential, potential)))
            throw new ArgumentException("the runs of a batch must share one potential object", nameof(runs));
        var batch = new ForceBatch(potential, runs.Count);
        var failures = new Exception?[runs.Count];
        var threads = runs.Select((run, index) => new Thread(() =>
        {
            try
            {
                run.Forces.JoinBatch(batch, index);
                run.Run(steps, cancellation);
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
        var thrown = failures.Where(f => f is not null).Select(f => f!).ToArray();
        if (thrown.Length > 0) throw new AggregateException(thrown);
    }
}
