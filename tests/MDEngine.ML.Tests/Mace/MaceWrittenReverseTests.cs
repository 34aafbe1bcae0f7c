using MDEngine.ML.Graphs;
using MDEngine.ML.Mace;
using MDEngine.Neighbors;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.Mace;

/// <summary>
/// MACE's written-out reverse pass (<see cref="EdgeEnergyModel.EnergiesAndEdgeGradient"/>: the fused layers, the
/// harmonics and the radial basis differentiated by hand, no autograd graph) gives the energies and edge gradients
/// autograd gives through <see cref="EdgeEnergyModel.NodeEnergies(GraphBatch)"/>, for each family that takes it; the
/// families with steps that stay torch operations (density normalisers, ZBL, the Agnesi transform, non-linear blocks)
/// keep autograd.
/// </summary>
public class MaceWrittenReverseTests
{
    [Theory]
    [InlineData("mp0", null, true)]
    [InlineData("mp0", 64, true)]          // splined radial networks: their length gradient joins the basis'
    [InlineData("multihead", null, true)]
    [InlineData("off", null, true)]        // plain blocks: the message mixed by element
    [InlineData("mpa", null, false)]
    [InlineData("newest", null, false)]
    public void WrittenReverseEqualsAutograd(string family, int? splinePoints, bool written)
    {
        var potential = MaceFamilyFixture.Load(family, new MaceOptions { Device = "cpu", DType = ScalarType.Float64, RadialSplinePoints = splinePoints });
        foreach (var s in MaceFamilyFixture.Frames(family).Take(3))
            AssertSameAsAutograd(potential, potential.BuildGraph([s], [NeighborListBuilder.Build(s, potential.Model.Cutoff, full: true)]), written);
    }

    /// <summary>A graph whose edges are not all paired with their reverse (a list cut where the two directions'
    /// lengths round differently) has its radial networks per edge and every length gradient on its own edge.</summary>
    [Fact]
    public void UnpairedEdgesTakeTheWrittenReverseToo()
    {
        var potential = MaceFamilyFixture.Load("mp0", new MaceOptions { Device = "cpu", DType = ScalarType.Float64 });
        var s = MaceFamilyFixture.Frames("mp0")[0];
        var full = NeighborListBuilder.Build(s, potential.Model.Cutoff, full: true);
        var graph = potential.BuildGraph([s], [WithoutFirstPair(full)]);
        Assert.Null(graph.ReverseEdges());
        AssertSameAsAutograd(potential, graph, written: true);
    }

    private static void AssertSameAsAutograd(MacePotential potential, AtomGraph graph, bool written)
    {
        var model = potential.Model;
        var direct = model.EnergiesAndEdgeGradient(new GraphBatch(graph, ScalarType.Float64, CPU, vectorsRequireGrad: true));
        Assert.Equal(written, direct is not null);
        if (direct is not { } pair) return;
        var (energies, gradient) = pair;

        var batch = new GraphBatch(graph, ScalarType.Float64, CPU, vectorsRequireGrad: true);
        var autogradEnergies = model.NodeEnergies(batch);
        var autogradGradient = autograd.grad([autogradEnergies.sum()], [batch.Vectors])[0];
        Assert.True((energies - autogradEnergies).abs().max().item<double>() < 1e-12, "energies differ");
        double scale = autogradGradient.abs().max().item<double>();
        Assert.True(scale > 1e-3, "the structure exerts forces");
        Assert.True((gradient - autogradGradient).abs().max().item<double>() < 1e-12 * Math.Max(1, scale), "edge gradients differ");
    }

    /// <summary>The list without its first pair (whose reverse then has none).</summary>
    private static NeighborList WithoutFirstPair(NeighborList list)
    {
        int n = list.Count - 1;
        var offsets = list.Offsets.Select(o => Math.Max(0, o - 1)).ToArray();
        offsets[0] = 0;
        return new NeighborList(list.AtomCount, list.IsFull, list.Radius, n, list.I[1..list.Count], list.J[1..list.Count],
            list.Shifts[3..(3 * list.Count)], list.Vectors[1..list.Count], list.Distances[1..list.Count], offsets);
    }
}
