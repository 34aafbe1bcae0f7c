using MDEngine.ML.IO;
using MDEngine.ML.Mace;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.Mace;

/// <summary>
/// Stage by stage against mace-torch's intermediates for frame 0, on mace-torch's own graph (edge_index, shifts):
/// a mismatch points at the stage that is wrong.
/// </summary>
public class MaceIntermediatesTests
{
    private static readonly Lazy<(Dictionary<string, SafeTensor> Reference, Dictionary<string, Tensor> Ours)> Run = new(() =>
    {
        var reference = SafeTensors.Read(Path.Combine(MaceFixture.Directory, "intermediates.safetensors"));
        var frame = MaceFixture.Frames[0].Structure;
        var edgeIndex = reference["edge_index"];
        var shifts = reference["shifts"].Data;
        int edges = (int)edgeIndex.Shape[1];
        var sender = edgeIndex.Data.Take(edges).Select(v => (long)v).ToArray();
        var receiver = edgeIndex.Data.Skip(edges).Select(v => (long)v).ToArray();
        var vectors = new double[3 * edges];
        for (int e = 0; e < edges; e++)
        {
            var r = frame.Positions[receiver[e]] - frame.Positions[sender[e]];
            vectors[3 * e] = r.X + shifts[3 * e]; vectors[3 * e + 1] = r.Y + shifts[3 * e + 1]; vectors[3 * e + 2] = r.Z + shifts[3 * e + 2];
        }
        var model = MaceFixture.Potential.Model;
        var elementIndex = frame.Numbers.Select(z => (long)Array.IndexOf(model.Config.AtomicNumbers, z)).ToArray();
        var record = new Dictionary<string, Tensor>();
        model.NodeEnergies(tensor(vectors, [edges, 3], ScalarType.Float64), tensor(sender), tensor(receiver), tensor(elementIndex),
            ElementGroups.From(elementIndex.Select(v => (int)v).ToArray(), CPU), record);
        return (reference, record);
    });

    [Theory]
    [InlineData("node_embedding")]
    [InlineData("radial_embedding")]
    [InlineData("spherical_harmonics")]
    [InlineData("interactions.0")]
    [InlineData("products.0")]
    [InlineData("readouts.0")]
    [InlineData("interactions.1")]
    [InlineData("products.1")]
    [InlineData("readouts.1")]
    public void StageMatchesMaceTorch(string stage)
    {
        var (reference, ours) = Run.Value;
        var expected = reference[stage];
        var actual = ours[stage];
        Assert.Equal(expected.Shape, actual.shape);
        var values = actual.data<double>().ToArray();
        double scale = expected.Data.Max(Math.Abs);
        double maxError = expected.Data.Zip(values, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxError <= 1e-12 * Math.Max(scale, 1.0), $"{stage}: max error {maxError:E3} (max |value| {scale:E3})");
    }
}
