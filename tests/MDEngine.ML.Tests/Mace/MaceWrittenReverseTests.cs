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
        var model = potential.Model;
        foreach (var s in MaceFamilyFixture.Frames(family).Take(3))
        {
            var graph = potential.BuildGraph([s], [NeighborListBuilder.Build(s, model.Cutoff, full: true)]);
            var direct = model.EnergiesAndEdgeGradient(new GraphBatch(graph, ScalarType.Float64, CPU, vectorsRequireGrad: true));
            Assert.Equal(written, direct is not null);
            if (direct is not { } pair) continue;
            var (energies, gradient) = pair;

            var batch = new GraphBatch(graph, ScalarType.Float64, CPU, vectorsRequireGrad: true);
            var autogradEnergies = model.NodeEnergies(batch);
            var autogradGradient = autograd.grad([autogradEnergies.sum()], [batch.Vectors])[0];
            Assert.True((energies - autogradEnergies).abs().max().item<double>() < 1e-12, $"{family} {s.Info.GetValueOrDefault("config_type")}: energies differ");
            double scale = autogradGradient.abs().max().item<double>();
            Assert.True(scale > 1e-3, "the structure exerts forces");
            Assert.True((gradient - autogradGradient).abs().max().item<double>() < 1e-12 * Math.Max(1, scale), $"{family}: edge gradients differ");
        }
    }
}
