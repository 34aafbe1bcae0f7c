using MDEngine.ML.E3nn;
using MDEngine.ML.Graphs;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

public class EdgeLayoutTests
{
    [Fact]
    public void SenderGatherAdjointThroughReverseEdgesEqualsTorchScatter()
    {
        // A periodic 8-atom cell with many images per pair: every edge must find its reverse.
        var s = MDEngine.Benchmarks.TestSystems.RattledSilicon(1, 3);
        var list = NeighborListBuilder.Build(s, 4.0, full: true);
        var graph = AtomGraph.Build([s], [list], 4.0, new Dictionary<int, int> { [14] = 0 });
        var reverse = graph.ReverseEdges();
        Assert.NotNull(reverse);
        for (int e = 0; e < graph.EdgeCount; e++)
        {
            Assert.Equal(graph.Sender[e], graph.Receiver[reverse![e]]);
            Assert.Equal(e, reverse[reverse[e]]);
            for (int c = 0; c < 3; c++) Assert.Equal(-graph.Vectors[3 * e + c], graph.Vectors[3 * reverse[e] + c], 12);
        }

        var layout = new EdgeLayout(s.Count, graph.Sender, graph.Receiver, reverse, CPU);
        var x = randn(s.Count, 5, dtype: ScalarType.Float64).requires_grad_(true);
        var w = randn(graph.EdgeCount, 5, dtype: ScalarType.Float64);
        var mine = autograd.grad([(layout.GatherSenders(x) * w).sum()], [x])[0];
        var torchs = autograd.grad([(x.index_select(0, layout.Sender) * w).sum()], [x])[0];
        Assert.True((mine - torchs).abs().max().item<double>() < 1e-12);
        Assert.True(torchs.abs().max().item<double>() > 0.1);
    }

    [Fact]
    public void AnEdgeWithoutItsReverseLeavesNoReverseTable()
    {
        // 0 → 1 and 1 → 0 with opposite images, then 0 → 1 with an image whose reverse is missing.
        static AtomGraph Graph(int[] shifts, long[] sender, long[] receiver) => new()
        {
            Species = [0, 0], AtomicNumbers = [14, 14], NodeStructure = [0, 0], Positions = new double[6],
            Sender = sender, Receiver = receiver, SenderShift = shifts, Vectors = new double[3 * sender.Length],
            Cells = new double[9], FullyPeriodic = [true], AtomOffsets = [0, 2], EdgeOffsets = [0, sender.Length],
        };
        Assert.Equal([1L, 0L], Graph([1, 0, 0, -1, 0, 0], [0, 1], [1, 0]).ReverseEdges());
        Assert.Null(Graph([1, 0, 0, -1, 0, 0, 0, 1, 0], [0, 1, 0], [1, 0, 1]).ReverseEdges());
    }

    [Fact]
    public void AGraphWithoutReverseEdgesFallsBackToTorchGather()
    {
        var layout = new EdgeLayout(2, [0L], [1L], null, CPU);
        var x = tensor(new double[] { 1, 2 }, [2, 1], ScalarType.Float64).requires_grad_(true);
        var g = autograd.grad([layout.GatherSenders(x).sum() * 3.0], [x])[0].data<double>().ToArray();
        Assert.Equal([3.0, 0.0], g);
    }
}
