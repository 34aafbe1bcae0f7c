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
        // Two atoms 1 Å apart in a 2 Å periodic box along x: 1 ← 0 and 0 ← 1 in the same image are each other's
        // reverse; 1 ← 0 from the image one box along x (also 1 Å away) has its reverse only when the list holds 0 ← 1
        // from the image one box back.
        var s = new MDEngine.Structures.Structure([14, 14], [new(0, 0, 0), new(1, 0, 0)],
            new MDEngine.Structures.Cell(MDEngine.Geometry.Mat3.Diagonal(2, 20, 20)), MDEngine.Structures.Pbc.All);
        static NeighborList List(bool withLastReverse)
        {
            // Pairs grouped by the centre atom i: (i, j, shift of j).
            var pairs = new List<(int I, int J, int X)> { (0, 1, 0) };
            if (withLastReverse) pairs.Add((0, 1, -1));
            pairs.Add((1, 0, 0)); pairs.Add((1, 0, 1));
            int first1 = pairs.FindIndex(p => p.I == 1);
            return new NeighborList(2, isFull: true, radius: 1.5, pairs.Count, pairs.Select(p => p.I).ToArray(), pairs.Select(p => p.J).ToArray(),
                pairs.SelectMany(p => new[] { p.X, 0, 0 }).ToArray(), new MDEngine.Geometry.Vec3[pairs.Count], new double[pairs.Count], [0, first1, pairs.Count]);
        }
        var species = new Dictionary<int, int> { [14] = 0 };
        var paired = AtomGraph.Build([s], [List(true)], 1.5, species);
        Assert.Equal(4, paired.EdgeCount);
        Assert.Equal([2L, 3L, 0L, 1L], paired.ReverseEdges()!);
        Assert.Null(AtomGraph.Build([s], [List(false)], 1.5, species).ReverseEdges());
    }

    [Fact]
    public void AGraphWithoutReverseEdgesFallsBackToTorchGather()
    {
        var layout = new EdgeLayout(2, [0L], [1L], null, CPU);
        var x = tensor(new double[] { 1, 2 }, [2, 1], ScalarType.Float64).requires_grad_(true);
        var g = autograd.grad([layout.GatherSenders(x).sum() * 3.0], [x])[0].data<double>().ToArray();
        Assert.Equal([3.0, 0.0], g);
    }

    /// <summary>Receiver ranges balance the edges; with a cost for edges whose reverse comes into a lower range (side
    /// rows in the convolution's reverse pass), the upper ranges take fewer edges, and the costs stay balanced.</summary>
    [Fact]
    public void ReceiverRangesWeighEdgesCrossingDownwards()
    {
        var s = MDEngine.Benchmarks.TestSystems.RattledSilicon(2, 3);
        var graph = AtomGraph.Build([s], [NeighborListBuilder.Build(s, 5.0, full: true)], 5.0, new Dictionary<int, int> { [14] = 0 });
        var layout = new EdgeLayout(s.Count, graph.Sender, graph.Receiver, graph.ReverseEdges(), CPU, hostOnly: true);
        int Edges((int Start, int End) r) => layout.ReceiverOffsets[r.End] - layout.ReceiverOffsets[r.Start];
        int maxDegree = Enumerable.Range(0, s.Count).Max(n => layout.ReceiverOffsets[n + 1] - layout.ReceiverOffsets[n]);

        var even = layout.ReceiverRanges(2);
        Assert.Equal((0, s.Count), (even[0].Start, even[1].End));
        Assert.Equal(even[0].End, even[1].Start);
        Assert.True(Math.Abs(Edges(even[0]) - Edges(even[1])) <= maxDegree);

        const double crossing = 0.5;
        var weighed = layout.ReceiverRanges(2, crossing);
        Assert.True(Edges(weighed[1]) < Edges(even[1]), "the upper range, which stores the side rows, takes fewer edges");
        double Cost((int Start, int End) r)
        {
            double cost = 0;
            for (int n = r.Start; n < r.End; n++)
                for (int i = layout.ReceiverOffsets[n]; i < layout.ReceiverOffsets[n + 1]; i++)
                    cost += 1 + (layout.SenderIndex[layout.EdgesByReceiver[i]] < even[1].Start && n >= even[1].Start ? crossing : 0);
            return cost;
        }
        Assert.True(Math.Abs(Cost(weighed[0]) - Cost(weighed[1])) <= (1 + crossing) * maxDegree);
    }
}
