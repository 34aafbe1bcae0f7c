using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>
/// Relaxes many structures at once: each relaxation converges on its own and leaves the batch when done, while one
/// <see cref="Potential.ComputeBatch"/> call per step evaluates all that remain (what makes an ML potential on a
/// GPU fast). Evaluations an optimizer needs inside a step (line searches, FIRE 2.0's step back) are made for that
/// structure alone.
/// </summary>
public sealed class BatchRelaxer
{
    private readonly Potential _potential;
    private readonly double _skin;

    public int BatchCalls { get; private set; }

    public BatchRelaxer(Potential potential, double skin = 0.5)
    {
        _potential = potential;
        _skin = skin;
    }

    /// <summary>Relaxes every target with its optimizer; results in the order of the targets.</summary>
    public RelaxResult[] Run(IReadOnlyList<IOptimizable> targets, Func<Optimizer> optimizerFactory, RelaxOptions? options = null,
        Func<int, IRelaxObserver?>? observerFor = null)
    {
        var lists = targets.Select(_ => new VerletNeighborList(_potential.Cutoff, _skin, _potential.NeedsFullNeighborList)).ToArray();
        var relaxations = new Relaxation[targets.Count];
        for (int b = 0; b < targets.Count; b++)
        {
            _potential.CheckCovers(targets[b].Structure);
            var list = lists[b];
            relaxations[b] = new Relaxation(targets[b], optimizerFactory(),
                (s, q) => _potential.Compute(s, list.Update(s), Clip(s, q)), options);
            if (observerFor?.Invoke(b) is { } observer) relaxations[b].Observe(observer);
        }

        var active = Enumerable.Range(0, targets.Count).ToList();
        while (active.Count > 0)
        {
            var stale = active.Where(b => relaxations[b].NeedsEvaluation).ToArray();
            if (stale.Length > 0)
            {
                var structures = stale.Select(b => targets[b].Structure).ToArray();
                var neighbors = stale.Select(b => lists[b].Update(targets[b].Structure)).ToArray();
                var what = stale.Aggregate((Quantities)0, (q, b) => q | targets[b].Needs);
                var results = _potential.ComputeBatch(structures, neighbors, what);
                BatchCalls++;
                for (int k = 0; k < stale.Length; k++) relaxations[stale[k]].Accept(results[k]);
            }
            foreach (int b in active) relaxations[b].Advance();
            active.RemoveAll(b => relaxations[b].Finished);
        }
        return relaxations.Select(r => r.Result()).ToArray();
    }

    private static Quantities Clip(Structure s, Quantities q) => s.Pbc.AllPeriodic ? q : q & ~Quantities.Stress;
}
