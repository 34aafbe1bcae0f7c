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
    [SkippableFact]
    public void BatchSplitByStructureGivesTheOneThreadResults()
    {
        TensorNetFixture.RequireModel();
        var potential = TensorNetFixture.Float32;
        Assert.True(potential.Model.EvaluatesGraphsConcurrently);
        Structure[] structures = [.. Enumerable.Range(0, 4).Select(k => TestSystems.RattledRockSalt(1, 30 + k))];
        Assert.NotNull(GraphPotential.ThreadParts(structures.Select(s => s.Count).ToArray(), 2));
        var one = ThreadCounts.Evaluate(potential, structures, 1);
        var two = ThreadCounts.Evaluate(potential, structures, 2); // after a first evaluation: one part per thread
        ThreadCounts.AssertSameResults(one, two, structures, 1e-5);
    }
}
