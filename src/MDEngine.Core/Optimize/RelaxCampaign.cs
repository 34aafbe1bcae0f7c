using MDEngine.Dynamics;
using MDEngine.IO;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.Optimize;

/// <summary>What a campaign did in one run.</summary>
public sealed record CampaignSummary(int Relaxed, int Converged, int Skipped);

/// <summary>
/// A campaign of relaxations into an ASE database, as Matbench-style screening runs them: structures stream in
/// lazily, relax in the in-flight batch of <see cref="BatchRelaxer.Stream"/> within an atom budget, and each result is
/// a row of the database the moment its structure finishes (one transaction per row), with the key-value pairs
/// <c>key</c> (the caller's name for the input; for a key <c>path@frame</c> also <c>source</c> and <c>frame</c>),
/// <c>converged</c>, <c>steps</c>, <c>energy_per_atom</c>, <c>max_force</c>, <c>pressure_gpa</c> and
/// <c>spacegroup_before</c>/<c>spacegroup_after</c> (periodic cells; "Fm-3m (225)", at spglib's default tolerance) and
/// <c>potential</c>; the energy is the row's own energy column. A run killed
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
        // The input's space group, found as its job enters the batch and kept until its row is written.
        var symmetryBefore = new Dictionary<RelaxJob, string?>(ReferenceEqualityComparer.Instance);
        IEnumerable<RelaxJob> Jobs()
        {
            foreach (var (key, structure) in inputs)
            {
                if (done.Contains(key)) { skipped++; continue; }
                var job = new RelaxJob(key, structure.Count, () => target(structure));
                symmetryBefore[job] = SymmetryAnalyzer.Find(structure)?.Label;
                yield return job;
            }
        }
        foreach (var outcome in new BatchRelaxer(potential, skin).Stream(Jobs(), optimizer, maxBatchAtoms, options))
        {
            symmetryBefore.Remove(outcome.Job, out var before);
            AseDatabase.Append(database, Row(outcome, before));
            relaxed++;
            if (outcome.Result.Converged) converged++;
            finished?.Invoke(outcome);
        }
        return new CampaignSummary(relaxed, converged, skipped);
    }

    private Structure Row(RelaxOutcome outcome, string? spaceGroupBefore)
    {
        var r = outcome.Result;
        var s = (r.Converged ? r.Structure : r.Problem is not null ? r.LastFinite : r.Best).Clone();
        s.Info[KeyName] = outcome.Job.Key;
        s.Info["converged"] = r.Converged;
        s.Info["steps"] = (long)r.Steps;
        if (s.Energy is double e) s.Info["energy_per_atom"] = e / s.Count;
        if (s.Forces is { } f) s.Info["max_force"] = f.Max(v => v.Length);
        if (s.Stress is { } stress && s.Pbc.AllPeriodic) s.Info["pressure_gpa"] = -stress.Trace / 3 * MdUnits.GPaPerEvPerA3;
        if (spaceGroupBefore is not null) s.Info["spacegroup_before"] = spaceGroupBefore;
        if (SymmetryAnalyzer.Find(s)?.Label is { } after) s.Info["spacegroup_after"] = after;
        if (SourceAndFrame(outcome.Job.Key) is var (source, frame))
        {
            s.Info["source"] = source;
            s.Info["frame"] = frame;
        }
        s.Info["potential"] = potential.Name;
        return s;
    }

    /// <summary>The file and frame of a key <c>path@frame</c> (as <see cref="StructureStream"/> names inputs).</summary>
    private static (string Source, long Frame)? SourceAndFrame(string key)
    {
        int at = key.LastIndexOf('@');
        return at > 0 && long.TryParse(key.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long frame)
            ? (key[..at], frame) : null;
    }
}
