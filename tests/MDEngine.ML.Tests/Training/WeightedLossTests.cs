using MDEngine.ML.Training;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.Training;

/// <summary>The stress and Huber variants of the loss against the formulas of mace-torch's loss module evaluated
/// by hand on two small configurations.</summary>
public class WeightedLossTests
{
    private static Tensor T(double[] v, params long[] shape) => tensor(v, shape, ScalarType.Float64);

    private static (ModelPrediction, BatchLabels) Batch()
    {
        // Two configurations of 1 and 2 atoms; the second has weight 2 and no stress label.
        var pred = new ModelPrediction(T([-3.0, -5.5], 2), T([0.1, 0, 0, 0, 0.2, 0, 0, 0, -0.05], 3, 3),
            T([0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, 3, 3));
        var refs = new BatchLabels
        {
            Energy = T([-3.1, -5.0], 2), Forces = T([0, 0, 0, 0, 0.1, 0, 0, 0, 0.05], 3, 3), Stress = zeros(2, 3, 3, ScalarType.Float64),
            AtomCount = T([1.0, 2.0], 2), VolumePerAtom = T([8.0, 0.0], 2), Weight = T([1.0, 2.0], 2), EnergyWeight = T([1.0, 1.0], 2), ForcesWeight = T([1.0, 1.0], 2),
            StressWeight = T([1.0, 0.0], 2), NodeStructure = tensor(new long[] { 0, 1, 1 }),
        };
        return (pred, refs);
    }

    [Fact]
    public void StressLossIsTheWeightedMeanOfSquares()
    {
        var (pred, refs) = Batch();
        double energy = (1 * 1 * Math.Pow((-3.1 + 3.0) / 1, 2) + 2 * 1 * Math.Pow((-5.0 + 5.5) / 2, 2)) / 2;
        double forces = (1 * 0.01 + 2 * (0.01 + 0.01)) / 9;          // (ΔF)² per component times the configuration weight, over 9
        double stress = (1 * 1e-4 + 2 * 0) / 18;                      // only the first configuration is labelled
        double expected = 1.0 * energy + 100.0 * forces + 10.0 * stress;
        var loss = new WeightedLoss(LossKind.Stress, 1.0, 100.0, 10.0).Compute(pred, refs).item<double>();
        Assert.Equal(expected, loss, 1e-14);
    }

    [Fact]
    public void VirialsLossIsPerAtomVirialError()
    {
        var (pred, refs) = Batch();
        double energy = (Math.Pow(-0.1, 2) + 2 * Math.Pow(0.25, 2)) / 2;
        double forces = (0.01 + 2 * 0.02) / 9;
        double virials = Math.Pow(0.01 * 8.0, 2) / 18;              // ΔW/N = Δσ·V/N, V/N = 8 Å³ for the first
        var loss = new WeightedLoss(LossKind.Virials, 1.0, 100.0, 10.0).Compute(pred, refs).item<double>();
        Assert.Equal(energy + 100.0 * forces + 10.0 * virials, loss, 1e-14);
    }

    [Fact]
    public void HuberLossUsesTheThresholdAndIgnoresConfigurationWeights()
    {
        var (pred, refs) = Batch();
        const double delta = 0.01;
        static double H(double d) => Math.Abs(d) < delta ? 0.5 * d * d : delta * (Math.Abs(d) - 0.5 * delta);
        double energy = (H(-0.1) + H(0.25)) / 2;
        double forces = (H(0.1) + H(0.1) + H(0.1)) / 9;
        double stress = H(0.01) / 18;
        double expected = 2.0 * energy + 50.0 * forces + 3.0 * stress;
        var loss = new WeightedLoss(LossKind.Huber, 2.0, 50.0, 3.0, delta).Compute(pred, refs).item<double>();
        Assert.Equal(expected, loss, 1e-14);
    }
}
