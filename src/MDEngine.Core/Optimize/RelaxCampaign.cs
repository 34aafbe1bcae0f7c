using MDEngine.Dynamics;
using MDEngine.IO;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>What a campaign did in one run.</summary>
public sealed record CampaignSummary(int Relaxed, int Converged, int Skipped);

/// <summary>
/// A campaign of relaxations into an ASE database, as Matbench-style screening runs them: structures stream in
/// lazily, relax in the in-flight batch of <see cref="BatchRelaxer.Stream"/> within an atom budget, and each result is
/// a row of the database the moment its structure finishes (one transaction per row), with the key-value pairs
/// <c>key</c> (the caller's name for the input, e.g. file and frame), <c>converged</c>, <c>steps</c>,
/// <c>energy_per_atom</c>, <c>max_force</c>, <c>pressure_gpa</c> (periodic cells) and <c>potential</c>. A run killed
/// at any moment and started again with the same inputs skips every key already in the database and relaxes the rest:
/// nothing lost, nothing written twice.
/// </summary>
public sealed class RelaxCampaign(Potential potential, string database, int maxBatchAtoms, RelaxOptions? options = null, double skin = 0.5)
{
    public const string KeyName = "key";

    /// <summary>Relaxes every input whose key is not yet in the database; <paramref name="target"/> makes the
    /// optimizable (atoms alone, or with a cell filter) of a structure, <paramref name="finished"/> hears of each row.</summary>
    public CampaignSummary Run(IEnumerable<(string Key, Structure Structure)> inputs, Func<Optimizer> optimizer,
        Func<Structure, IOptimizable> target, Action<RelaxOutcome>? finished = null)
    {
        var done = AseDatabase.TextValues(database, KeyName);
        int skipped = 0, relaxed = 0, converged = 0;
        IEnumerable<RelaxJob> Jobs()
        {
            foreach (var (key, structure) in inputs)
            {
                if (done.Contains(key)) { skipped++; continue; }
                yield return new RelaxJob(key, structure.Count, () => target(structure));
            }
        }
        foreach (var outcome in new BatchRelaxer(potential, skin).Stream(Jobs(), optimizer, maxBatchAtoms, options))
        {
            AseDatabase.Append(database, Row(outcome));
            relaxed++;
            if (outcome.Result.Converged) converged++;
            finished?.Invoke(outcome);
        }
        return new CampaignSummary(relaxed, converged, skipped);
    }

    private Structure Row(RelaxOutcome outcome)
    {
        var r = outcome.Result;
        var s = (r.Converged ? r.Structure : r.Problem is not null ? r.LastFinite : r.Best).Clone();
        s.Info[KeyName] = outcome.Job.Key;
        s.Info["converged"] = r.Converged;
        s.Info["steps"] = (long)r.Steps;
        if (s.Energy is double e) s.Info["energy_per_atom"] = e / s.Count;
        if (s.Forces is { } f) s.Info["max_force"] = f.Max(v => v.Length);
        if (s.Stress is { } stress && s.Pbc.AllPeriodic) s.Info["pressure_gpa"] = -stress.Trace / 3 * MdUnits.GPaPerEvPerA3;
        s.Info["potential"] = potential.Name;
        return s;
    }
}
