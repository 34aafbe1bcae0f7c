using MDEngine.Benchmarks;
using MDEngine.Benchmarks.Models;
using MDEngine.ML.Kernels;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.Mace;

/// <summary>
/// MACE split over threads (the worker team, the row-parallel radial networks and product block, the kernels' ranges)
/// gives the single-thread results to round-off, for one structure and for a batch of several elements' worth of
/// structures; and the row-parallel evaluation's reverse pass is torch's.
/// </summary>
[Collection("torch threads")] // changes the process-wide thread count
public class MaceThreadingTests
{
    [Theory]
    [InlineData(ScalarType.Float64, 1e-12)]
    [InlineData(ScalarType.Float32, 2e-5)]
    public void TwoThreadsGiveTheOneThreadResults(ScalarType dtype, double tolerance)
    {
        var potential = MaceTiming.CreatePotential(new MaceOptions { Device = "cpu", DType = dtype });
        Structure[] structures = [TestSystems.RattledSilicon(2, 5), TestSystems.RattledSilicon(1, 6), TestSystems.RattledSilicon(1, 7)];
        ThreadCounts.AssertSameResults(ThreadCounts.Evaluate(potential, structures, 1), ThreadCounts.Evaluate(potential, structures, 2), structures, tolerance);
    }

    /// <summary>The threads claim chunks of work in whatever order their timing gives, but every chunk's sums are its
    /// own: evaluations at two threads repeat to the last bit.</summary>
    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void TwoThreadsRepeatExactly(ScalarType dtype)
    {
        var potential = MaceTiming.CreatePotential(new MaceOptions { Device = "cpu", DType = dtype });
        Structure[] structures = [TestSystems.RattledSilicon(2, 5)];
        var first = ThreadCounts.Evaluate(potential, structures, 2);
        for (int repeat = 0; repeat < 3; repeat++)
        {
            var again = ThreadCounts.Evaluate(potential, structures, 2);
            Assert.Equal(first[0].Energy, again[0].Energy);
            Assert.Equal(first[0].Forces, again[0].Forces);
            Assert.Equal(first[0].Stress, again[0].Stress);
        }
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-12)]
    [InlineData(ScalarType.Float32, 2e-5)]
    public void BatchSplitByStructureGivesTheOneThreadResults(ScalarType dtype, double tolerance)
    {
        var potential = MaceTiming.CreatePotential(new MaceOptions { Device = "cpu", DType = dtype });
        Structure[] structures = [.. Enumerable.Range(0, 5).Select(k => TestSystems.RattledSilicon(1, 20 + k))];
        Assert.NotNull(MDEngine.ML.Graphs.GraphPotential.ThreadParts(structures.Select(s => s.Count).ToArray(), 2));
        var one = ThreadCounts.Evaluate(potential, structures, 1);
        var two = ThreadCounts.Evaluate(potential, structures, 2); // after a first evaluation: one part per thread
        var again = ThreadCounts.Evaluate(potential, structures, 2);
        ThreadCounts.AssertSameResults(one, two, structures, tolerance);
        for (int b = 0; b < structures.Length; b++) Assert.Equal(two[b].Energy, again[b].Energy);
    }

    [Theory]
    [InlineData(new[] { 8, 8, 8, 8 }, 2, "0:2 2:2")]
    [InlineData(new[] { 8, 8, 8, 8, 8 }, 2, "0:3 3:2")]
    [InlineData(new[] { 8, 8, 8 }, 4, "0:1 1:1 2:1")]
    [InlineData(new[] { 64, 8, 8, 8, 8, 8, 8, 8, 8 }, 2, "0:1 1:8")]
    [InlineData(new[] { 64, 8, 8 }, 2, "none")]      // one structure outweighs the rest: the kernels split it
    [InlineData(new[] { 64 }, 2, "none")]
    [InlineData(new[] { 8, 8 }, 1, "none")]
    public void BatchPartsAreContiguousAndBalanced(int[] atoms, int threads, string expected)
    {
        var parts = MDEngine.ML.Graphs.GraphPotential.ThreadParts(atoms, threads);
        Assert.Equal(expected, parts is null ? "none" : string.Join(" ", parts.Select(p => $"{p.First}:{p.Count}")));
    }

    [Fact]
    public void RowParallelReversePassIsTorchs()
    {
        var x = randn(101, 7, dtype: ScalarType.Float64);
        var w = randn(7, 5, dtype: ScalarType.Float64);
        var scale = rand(101, 1, dtype: ScalarType.Float64) + 0.5;
        Tensor F(Tensor[] rows, int start, int length) => nn.functional.silu(rows[0].matmul(w)).pow(2) / rows[1];

        var xRef = x.clone().requires_grad_(true);
        var reference = F([xRef, scale], 0, 101);
        var gReference = autograd.grad([reference.sum()], [xRef])[0];

        int before = get_num_threads();
        set_num_threads(2);
        try
        {
            using var owned = CpuParallel.OwnThreads();
            var xPar = x.clone().requires_grad_(true);
            var result = RowParallel.Apply("test", F, [xPar, scale]);
            var g = autograd.grad([result.sum()], [xPar])[0];
            Assert.True(result.allclose(reference.detach(), rtol: 1e-13, atol: 1e-13));
            Assert.True(g.allclose(gReference, rtol: 1e-13, atol: 1e-13));
        }
        finally { set_num_threads(before); }
    }
}

/// <summary>Tests that set torch's process-wide thread count run alone.</summary>
[CollectionDefinition("torch threads", DisableParallelization = true)]
public sealed class TorchThreadsCollection;
