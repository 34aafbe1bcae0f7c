using MDEngine.IO;
using MDEngine.Neighbors;
using MDEngine.Potentials;

namespace MDEngine.Workflows;

/// <summary>How <see cref="EvalRunner"/> evaluates.</summary>
public sealed record EvalSettings
{
    /// <summary>Refuse structures with atoms closer than this (Å); null: half the sum of their covalent radii.</summary>
    public double? MinDistance { get; init; }
    /// <summary>What a refusal for atoms too close suggests (a command names its option here).</summary>
    public string? MinDistanceHint { get; init; }
    /// <summary>The most atoms evaluated in one potential call (a larger structure goes alone): what bounds the
    /// memory of an ML model's batch.</summary>
    public int MaxBatchAtoms { get; init; } = 4096;
    /// <summary>Where every structure is written with its results, as extended XYZ (null: not written).</summary>
    public string? OutputPath { get; init; }
}

/// <summary>One structure's results (stored on the structure too: energy, forces, stress).</summary>
public sealed record EvaluatedStructure(string Label, Structures.Structure Structure, PotentialResult Result);

/// <summary>What <see cref="EvalRunner"/> did: the structures evaluated in input order up to the first with a
/// non-finite result, and that one's label and problem (then nothing was written).</summary>
public sealed record EvalReport(string PotentialName, IReadOnlyList<EvaluatedStructure> Structures, string? ProblemLabel = null, string? Problem = null);

/// <summary>
/// Single-point evaluation as a library call (TorchSim's <c>runners.static</c>): refuses structures the potential
/// does not cover or whose atoms overlap, evaluates the structures in batches through one
/// <see cref="BoundPotential"/> (one potential call per batch; tight lists, as a single point needs no skin), stores
/// energy, forces and stress on each structure, and writes them all, unless a result is not finite.
/// </summary>
public static class EvalRunner
{
    /// <summary>Refuses inputs before anything is computed: elements the potential does not cover, overlapping atoms.</summary>
    public static void Check(Potential potential, IReadOnlyList<LabeledStructure> inputs, EvalSettings settings)
    {
        if (settings.MaxBatchAtoms < 1) throw new SettingsException("a batch needs room for at least one atom");
        foreach (var (label, s) in inputs)
        {
            potential.CheckCovers(s);
            CloseContacts.Require(s, label, settings.MinDistance, settings.MinDistanceHint);
        }
    }

    public static EvalReport Run(Potential potential, IReadOnlyList<LabeledStructure> inputs, EvalSettings settings)
    {
        Check(potential, inputs, settings);
        var bound = new BoundPotential(potential, skin: 0);
        var done = new List<EvaluatedStructure>(inputs.Count);
        foreach (var batch in Batches(inputs, settings.MaxBatchAtoms))
        {
            var results = bound.Compute(batch.Select(i => i.Structure).ToArray(), Quantities.All);
            for (int k = 0; k < batch.Count; k++)
            {
                var (label, s) = batch[k];
                if (NonFinite(results[k]) is { } problem) return new EvalReport(potential.Name, done, label, problem);
                s.Energy = results[k].Energy;
                s.Forces = results[k].Forces;
                s.Stress = results[k].Stress;
                done.Add(new EvaluatedStructure(label, s, results[k]));
            }
            foreach (var (_, s) in batch) bound.ResetNeighbors(s);
        }
        if (settings.OutputPath is { } output) StructureFile.Write(output, done.Select(d => d.Structure), "extxyz");
        return new EvalReport(potential.Name, done);
    }

    /// <summary>Consecutive inputs up to the atom budget (an input larger than it goes alone).</summary>
    private static IEnumerable<List<LabeledStructure>> Batches(IReadOnlyList<LabeledStructure> inputs, int maxAtoms)
    {
        var batch = new List<LabeledStructure>();
        int atoms = 0;
        foreach (var input in inputs)
        {
            if (batch.Count > 0 && atoms + input.Structure.Count > maxAtoms) { yield return batch; batch = []; atoms = 0; }
            batch.Add(input);
            atoms += input.Structure.Count;
        }
        if (batch.Count > 0) yield return batch;
    }

    private static string? NonFinite(PotentialResult r)
    {
        if (!double.IsFinite(r.Energy)) return "the potential gave a non-finite energy";
        if (r.Forces is { } f && !f.All(v => v.IsFinite)) return "the potential gave a non-finite force";
        if (r.Stress is { } s && !s.IsFinite) return "the potential gave a non-finite stress";
        return null;
    }
}
