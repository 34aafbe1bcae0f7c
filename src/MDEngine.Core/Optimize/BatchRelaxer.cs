using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>One structure of a relaxation campaign: a key the caller uses to file its result, and its target (the
/// atoms, or atoms and cell through a filter), made only when the structure enters the batch.</summary>
public sealed record RelaxJob(string Key, int Atoms, Func<IOptimizable> CreateTarget);

/// <summary>A finished relaxation, handed out as soon as its structure leaves the batch.</summary>
public sealed record RelaxOutcome(RelaxJob Job, RelaxResult Result);

/// <summary>
/// Relaxes many structures at once, as TorchSim's in-flight batcher: the batch is filled up to an atom budget from a
/// lazily read stream of jobs, one potential call per step (through a <see cref="BoundPotential"/>, which keeps each structure's neighbor list) evaluates every structure that
/// moved, a structure that converged or ran out of steps leaves at once and the next jobs take its place. Every
/// structure keeps its own optimizer, neighbor list and step count, so its result is the one it would have alone
/// (bit for bit where the potential's batch equals its single evaluation, as for every classical potential).
/// Evaluations an optimizer needs inside a step (line searches, FIRE 2.0's step back) are made for that structure
/// alone. Memory is bounded by the budget, not by the length of the stream.
/// </summary>
public sealed class BatchRelaxer
{
    private readonly BoundPotential _bound;

    public int BatchCalls { get; private set; }
    /// <summary>The most atoms that were in the batch at once.</summary>
    public int PeakBatchAtoms { get; private set; }

    public BatchRelaxer(Potential potential, double skin = 0.5)
    {
        _bound = new BoundPotential(potential, skin);
    }

    /// <summary>Relaxes every target with its optimizer, all in one batch; results in the order of the targets.</summary>
    public RelaxResult[] Run(IReadOnlyList<IOptimizable> targets, Func<Optimizer> optimizerFactory, RelaxOptions? options = null,
        Func<int, IRelaxObserver?>? observerFor = null)
    {
        var jobs = targets.Select((t, b) => new RelaxJob(b.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Structure.Count, () => t)).ToArray();
        var indexOf = jobs.Select((job, b) => (job, b)).ToDictionary(p => p.job, p => p.b, ReferenceEqualityComparer.Instance);
        var results = new RelaxResult[targets.Count];
        foreach (var outcome in Stream(jobs, optimizerFactory, maxBatchAtoms: int.MaxValue, options,
                     observerFor is null ? null : job => observerFor(indexOf[job])))
            results[indexOf[outcome.Job]] = outcome.Result;
        return results;
    }

    /// <summary>
    /// Relaxes a stream of jobs with at most <paramref name="maxBatchAtoms"/> atoms in the batch (a larger structure
    /// runs alone), yielding each result when its structure finishes (in finishing order). The stream is read only as
    /// places free up.
    /// </summary>
    public IEnumerable<RelaxOutcome> Stream(IEnumerable<RelaxJob> jobs, Func<Optimizer> optimizerFactory, int maxBatchAtoms,
        RelaxOptions? options = null, Func<RelaxJob, IRelaxObserver?>? observerFor = null)
    {
        if (maxBatchAtoms < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchAtoms), "the batch needs room for at least one atom");
        using var pending = jobs.GetEnumerator();
        bool more = pending.MoveNext();
        var active = new List<Member>();
        int atoms = 0;
        while (more || active.Count > 0)
        {
            // Refill: take jobs while they fit; an empty batch always takes the next one.
            while (more && (active.Count == 0 || atoms + pending.Current.Atoms <= maxBatchAtoms))
            {
                active.Add(Start(pending.Current, optimizerFactory, options, observerFor));
                atoms += pending.Current.Atoms;
                more = pending.MoveNext();
            }
            PeakBatchAtoms = Math.Max(PeakBatchAtoms, atoms);

            var stale = active.Where(m => m.Relaxation.NeedsEvaluation).ToArray();
            if (stale.Length > 0)
            {
                var results = _bound.Compute(stale.Select(m => m.Target.Structure).ToArray(), stale.Select(m => m.Target.Needs).ToArray());
                BatchCalls++;
                for (int k = 0; k < stale.Length; k++) stale[k].Relaxation.Accept(results[k]);
            }
            foreach (var m in active) m.Relaxation.Advance();
            foreach (var m in active.Where(m => m.Relaxation.Finished).ToArray())
            {
                active.Remove(m);
                atoms -= m.Job.Atoms;
                _bound.ResetNeighbors(m.Target.Structure);
                yield return new RelaxOutcome(m.Job, m.Relaxation.Result());
            }
        }
    }

    private sealed record Member(RelaxJob Job, IOptimizable Target, Relaxation Relaxation);

    private Member Start(RelaxJob job, Func<Optimizer> optimizerFactory, RelaxOptions? options, Func<RelaxJob, IRelaxObserver?>? observerFor)
    {
        var target = job.CreateTarget();
        var relaxation = new Relaxation(target, optimizerFactory(), _bound, options);
        if (observerFor?.Invoke(job) is { } observer) relaxation.Observe(observer);
        return new Member(job, target, relaxation);
    }
}
