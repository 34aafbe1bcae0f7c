using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Dynamics;

/// <summary>
/// Gathers the force evaluations of several molecular-dynamics runs that step in lockstep (replicas, or several
/// structures) into one <see cref="Potential.Compute(PotentialBatch)"/> call: every run posts its request and waits; when all
/// runs still going have posted, the batch is computed and each run takes its own result. Every integrator evaluates
/// forces exactly once per step, so the runs meet once per step. A run that ends or fails leaves the batch, and the
/// others go on without it.
/// </summary>
public sealed class ForceBatch
{
    private readonly Potential _potential;
    private readonly Barrier _barrier;
    private readonly Request?[] _requests;
    private readonly PotentialResult?[] _results;

    /// <summary>Potential calls made for the whole batch.</summary>
    public long BatchCalls { get; private set; }

    private sealed record Request(Structure Structure, NeighborList Neighbors, Quantities What, Vec3[] Forces);

    public ForceBatch(Potential potential, int runs)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), "a batch needs at least one run");
        _potential = potential;
        _requests = new Request?[runs];
        _results = new PotentialResult?[runs];
        _barrier = new Barrier(runs, _ => ComputePosted());
    }

    /// <summary>Called by run <paramref name="index"/>'s force evaluator: waits for the other runs, returns its result
    /// with the forces written into <paramref name="forces"/>.</summary>
    internal PotentialResult Compute(int index, Structure structure, NeighborList neighbors, Quantities what, Vec3[] forces)
    {
        _requests[index] = new Request(structure, neighbors, what, forces);
        _barrier.SignalAndWait();
        var result = _results[index] ?? throw new InvalidOperationException("the batch returned no result for this run");
        _results[index] = null;
        return result;
    }

    /// <summary>Run <paramref name="index"/> has ended (or failed): the others no longer wait for it.</summary>
    internal void Leave(int index)
    {
        _requests[index] = null;
        _barrier.RemoveParticipant();
    }

    private void ComputePosted()
    {
        var posted = Enumerable.Range(0, _requests.Length).Where(k => _requests[k] is not null).ToArray();
        if (posted.Length == 0) return;
        // Every run asks for what it wants and gets its forces in its own array.
        var batch = new PotentialBatch(posted.Length);
        foreach (int k in posted) batch.Add(_requests[k]!.Structure, _requests[k]!.Neighbors, _requests[k]!.What, _requests[k]!.Forces);
        _potential.Compute(batch);
        BatchCalls++;
        for (int j = 0; j < posted.Length; j++)
        {
            _results[posted[j]] = batch.Result(j);
            _requests[posted[j]] = null;
        }
    }
}
