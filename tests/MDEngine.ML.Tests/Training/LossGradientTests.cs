using MDEngine.ML.Training;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.Training;

/// <summary>
/// The loss of mace-torch's training step and its gradient with respect to all 24 parameters (which holds the second
/// derivatives d²E/dr dθ of the force term) against mace-torch's own, for one batch of five configurations.
/// </summary>
public class LossGradientTests
{
    [Fact]
    public void LossAndGradientsEqualMaceTorch()
    {
        var reference = Npz.Read(Path.Combine(TrainingFixture.Directory, "grad_check.npz"));
        var model = TrainingFixture.Model();
        var names = reference["param_names"].Strings!;
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), model.Parameters.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        foreach (var (name, p) in model.Parameters)
            Assert.Equal(reference[$"param/{name}"].Data, p.detach().contiguous().data<double>().ToArray());

        var configs = TrainingFixture.Configurations();
        var batch = new TrainingBatch(configs, new NeighborCache(model.Config.RMax), model.SpeciesIndex);
        Assert.Equal(reference["edge_index"].Shape[1], batch.Graph.EdgeCount);
        using var scope = NewDisposeScope();
        var prediction = ModelPrediction.Compute(model.Model, batch, stress: false, training: true);
        var loss = new WeightedLoss(LossKind.Weighted, 1.0, 100.0).Compute(prediction, batch.Labels(ScalarType.Float64, CPU));
        AssertClose(reference["pred_energy"].Data, prediction.Energy.detach().data<double>().ToArray(), 1e-10);
        AssertClose([reference["loss"].Scalar], [loss.item<double>()], 1e-10);

        var grads = autograd.grad([loss], model.Parameters.Select(p => p.Value).ToArray());
        for (int k = 0; k < model.Parameters.Count; k++)
        {
            string name = model.Parameters[k].Name;
            AssertClose(reference[$"grad/{name}"].Data, grads[k].contiguous().data<double>().ToArray(), 1e-10, name);
        }
    }

    /// <summary>|a − b| ≤ tol·max|a| elementwise (relative to the array's scale).</summary>
    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        double worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= tolerance * scale, $"{what}: max |Δ| = {worst:E3}, relative {worst / scale:E3} > {tolerance:E0}");
    }
}
