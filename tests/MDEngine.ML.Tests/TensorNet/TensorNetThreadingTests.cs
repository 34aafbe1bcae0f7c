using MDEngine.Benchmarks;
using MDEngine.ML.Graphs;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.TensorNet;

/// <summary>A TensorNet batch split by structure over two threads (one graph per thread, torch on one thread each;
/// float32, where the split is on) gives the one-thread results to float32 round-off.</summary>
[Collection("torch threads")] // changes the process-wide thread count
public class TensorNetThreadingTests
{
    private static PotentialResult[] Evaluate(Potential potential, Structure[] structures, int threads)
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

    [SkippableFact]
    public void BatchSplitByStructureGivesTheOneThreadResults()
    {
        TensorNetFixture.RequireModel();
        var potential = TensorNetFixture.Float32;
        Assert.True(potential.Model.EvaluatesGraphsConcurrently);
        Structure[] structures = [.. Enumerable.Range(0, 4).Select(k => TestSystems.RattledRockSalt(1, 30 + k))];
        Assert.NotNull(GraphPotential.ThreadParts(structures.Select(s => s.Count).ToArray(), 2));
        var one = Evaluate(potential, structures, 1);
        var two = Evaluate(potential, structures, 2); // after a first evaluation: one part per thread
        for (int b = 0; b < structures.Length; b++)
        {
            Assert.Equal(one[b].Energy, two[b].Energy, 1e-5 * Math.Max(1, Math.Abs(one[b].Energy)));
            for (int i = 0; i < structures[b].Count; i++)
                Assert.True((one[b].Forces![i] - two[b].Forces![i]).Length <= 1e-5, $"structure {b} atom {i}");
            Assert.True((one[b].Stress!.Value - two[b].Stress!.Value).ToArray().Max(Math.Abs) <= 1e-6);
        }
    }
}
