using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests;

/// <summary>Evaluations at a given torch thread count (process-wide: the calling tests belong to the "torch threads"
/// collection, which runs alone).</summary>
public static class ThreadCounts
{
    /// <summary>Energy, forces and stress of the structures as one batch with torch set to <paramref name="threads"/>.</summary>
    public static PotentialResult[] Evaluate(Potential potential, IReadOnlyList<Structure> structures, int threads)
    {
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            var lists = structures.Select(s => NeighborListBuilder.Build(s, potential.Cutoff, potential.NeedsFullNeighborList)).ToArray();
            return potential.ComputeBatch(structures, lists, Quantities.All);
        }
        finally { set_num_threads(before); }
    }

    /// <summary>Energies, forces and stresses of every structure agree to <paramref name="tolerance"/> (relative).</summary>
    public static void AssertSameResults(PotentialResult[] one, PotentialResult[] two, Structure[] structures, double tolerance)
    {
        for (int b = 0; b < structures.Length; b++)
        {
            Assert.Equal(one[b].Energy, two[b].Energy, tolerance * Math.Max(1, Math.Abs(one[b].Energy)));
            double forceScale = Math.Max(1, one[b].Forces!.Max(f => f.Length));
            for (int i = 0; i < structures[b].Count; i++)
                Assert.True((one[b].Forces![i] - two[b].Forces![i]).Length <= tolerance * forceScale, $"structure {b} atom {i}");
            var ds = one[b].Stress!.Value - two[b].Stress!.Value;
            Assert.True(ds.ToArray().Max(Math.Abs) <= tolerance * Math.Max(1e-3, one[b].Stress!.Value.ToArray().Max(Math.Abs)));
        }
    }
}
