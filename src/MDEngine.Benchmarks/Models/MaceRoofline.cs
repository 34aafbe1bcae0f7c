using MDEngine.ML.E3nn;
using MDEngine.ML.Mace;

namespace MDEngine.Benchmarks.Models;

/// <summary>Multiply-adds of one stage of a MACE evaluation: the forward pass and the reverse pass (the gradient of
/// the inputs only; the weights are constants).</summary>
public sealed record StageCost(string Stage, double Forward, double Reverse);

/// <summary>
/// The roofline of a MACE evaluation on the CPU: multiply-adds per stage counted from the model's shapes and the
/// graph's size, set against the time per stage (<see cref="ML.StageClock"/>) and the machine's peak
/// (<see cref="MachinePeak"/>). Counts are of the arithmetic the CPU path performs (the dense loops of the kernels,
/// the matrix products of the layers), not of a minimal algorithm; elementwise activations and layout copies are not
/// counted.
/// </summary>
public static class MaceRoofline
{
    /// <summary>Multiply-adds per stage for a graph of <paramref name="atoms"/> nodes, <paramref name="edges"/>
    /// directed edges and <paramref name="pairs"/> edge pairs (the radial networks run once per pair).</summary>
    public static IReadOnlyList<StageCost> MultiplyAdds(MaceModel model, long atoms, long edges, long pairs)
    {
        var config = model.Config;
        var hidden = model.HiddenIrreps;
        var sh = model.SphericalHarmonicsIrreps;
        int channels = hidden[0].Mul;
        var target = new Irreps(sh.Select(m => new MulIrrep(channels, m.Ir)));
        double radial = 0, convolutionForward = 0, convolutionReverse = 0, linearUp = 0, productForward = 0, productReverse = 0;
        for (int i = 0; i < config.NumInteractions; i++)
        {
            var input = i == 0 ? new Irreps([new MulIrrep(channels, new Irrep(0, 1))]) : hidden;
            var output = i == config.NumInteractions - 1 ? new Irreps([hidden[0]]) : hidden;
            // Convolution paths l1 ⊗ l2 → l3 kept by the target (uvu: one weight per channel and path).
            var paths = (from a in input from b in sh from c in target where a.Ir.Times(b.Ir).Contains(c.Ir) select (D1: a.Ir.Dim, D3: c.Ir.Dim, Out: c.Ir)).ToList();
            int[] widths = [config.NumBessel, .. config.RadialMlp, paths.Count * channels];
            // Splines: four knot rows weighted per output, forward and reverse; the network: its matrix products.
            bool splined = model.RadialSplinePoints is not null && config.InteractionClass(i) != MaceConfig.NonLinearInteraction;
            radial += pairs * (splined ? 4.0 * widths[^1] : widths.Zip(widths.Skip(1), (a, b) => (double)a * b).Sum());
            // Forward per channel and path: t = w·x_a (d1), y_m += t_a S_am (d1·d3). Reverse: t, h_a = Σ_m S_am g_m,
            // ∂S_am += t_a g_m (2·d1·d3), ∂w = Σ_a h_a x_a, ∂x_a += h_a w (3·d1).
            convolutionForward += (double)edges * channels * paths.Sum(p => p.D1 + p.D1 * p.D3);
            convolutionReverse += (double)edges * channels * paths.Sum(p => 3 * p.D1 + 2 * p.D1 * p.D3);
            linearUp += atoms * Linear(input, input);
            // The linear layer after the convolution mixes every path's channels into the target's.
            double mix = atoms * target.Sum(t => (double)t.Ir.Dim * channels * channels * paths.Count(p => p.Out == t.Ir));
            string cls = config.InteractionClass(i);
            double self = MaceConfig.IsResidual(cls) ? atoms * Linear(input, output) : atoms * Linear(target, target);
            var contractions = model.ContractionWeights[i];
            var sparse = new SparseSymmetricContraction(contractions, TensorOptions.CpuFloat64);
            // Per node and channel: each monomial is one product, then feeds every output; the reverse pass rebuilds
            // the monomials, takes Σ_M C·∂L/∂B_M for each, and hands each gradient to its two factors.
            int outputs = sparse.OutDim; // Σ(2L+1) over the output irreps
            double linears = mix + self + atoms * Linear(output, output);
            productForward += linears + (double)atoms * channels * sparse.MonomialCount * (outputs + 1);
            productReverse += linears + (double)atoms * channels * sparse.MonomialCount * (outputs + 3);
        }
        return
        [
            new StageCost("radial networks", radial, radial),
            new StageCost("convolution", convolutionForward, convolutionReverse),
            new StageCost("linear up", linearUp, linearUp),
            new StageCost("product", productForward, productReverse),
        ];
    }

    /// <summary>Multiply-adds per node of an equivariant linear map: every output irrep mixes the channels of the
    /// input irreps of its kind, once per component.</summary>
    private static double Linear(Irreps input, Irreps output) =>
        output.Sum(o => (double)o.Ir.Dim * o.Mul * input.Where(a => a.Ir == o.Ir).Sum(a => a.Mul));
}
