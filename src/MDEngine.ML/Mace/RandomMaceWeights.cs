using MDEngine.ML.Kernels;
using MDEngine.ML.Graphs;
using MDEngine.ML.E3nn;
using MDEngine.ML.IO;

namespace MDEngine.ML.Mace;

/// <summary>
/// Random weights for a MACE architecture, for benchmarks, tests and new models to train. The constants (Wigner 3j
/// blocks, U matrices) depend only on the irreps, not on the channel count or the elements: they are computed
/// (<see cref="ComputedConstants"/>) or taken from an existing model with the same max_ell and correlation.
/// </summary>
public static class RandomMaceWeights
{
    /// <summary>Random weights with computed constants: e3nn's Wigner 3j blocks and mace-torch's U matrices.</summary>
    public static Dictionary<string, SafeTensor> Create(MaceConfig config, int seed = 0) => Create(config, ComputedConstants(config), seed);

    /// <summary>The constants <see cref="Create(MaceConfig, IReadOnlyDictionary{string, SafeTensor}, int)"/> reads, in the
    /// layout of a model file: the Wigner 3j blocks of the convolution (under interaction 1's names) and the U matrices of
    /// the symmetric contraction for each output degree L (under product 0's contraction L).</summary>
    public static Dictionary<string, SafeTensor> ComputedConstants(MaceConfig config)
    {
        var constants = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        var hidden = Irreps.Parse(config.HiddenIrreps);
        int lmax = Math.Max(config.MaxEll, hidden.LMax);
        for (int l1 = 1; l1 <= lmax; l1++)
            for (int l2 = 1; l2 <= lmax; l2++)
                for (int l3 = Math.Abs(l1 - l2); l3 <= Math.Min(l1 + l2, lmax); l3++)
                    if (l3 > 0)
                        constants[$"interactions.1.conv_tp._compiled_main_left_right._w3j_{l1}_{l2}_{l3}"] =
                            new SafeTensor("F64", [2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1], Wigner3jSymbols.Compute(l1, l2, l3));
        var coupling = new Irreps(Irreps.SphericalHarmonics(config.MaxEll).Select(m => new MulIrrep(1, m.Ir)));
        int correlation = config.Correlation.Max();
        foreach (var (_, ir) in hidden)
            for (int nu = 1; nu <= correlation; nu++)
                constants[$"products.0.symmetric_contractions.contractions.{ir.L}.U_matrix_{nu}"] = SymmetricContractionBasis.UMatrix(coupling, ir, nu);
        return constants;
    }

    public static Dictionary<string, SafeTensor> Create(MaceConfig config, IReadOnlyDictionary<string, SafeTensor> constants, int seed = 0)
    {
        var rng = new Random(seed);
        var weights = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        void Add(string name, double scale, params long[] shape)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var data = new double[count];
            for (long k = 0; k < count; k++)
            {
                // Box–Muller standard normal.
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                data[k] = scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
            weights[name] = new SafeTensor("F64", shape, data);
        }
        var hidden = Irreps.Parse(config.HiddenIrreps);
        int channels = hidden.CountOf(new Irrep(0, 1)), elements = config.AtomicNumbers.Length;
        var sh = Irreps.SphericalHarmonics(config.MaxEll);
        var nodeIrreps = new Irreps([new MulIrrep(channels, new Irrep(0, 1))]);
        var interactionIrreps = new Irreps(sh.Select(m => new MulIrrep(channels, m.Ir))).Sort().Sorted.Simplify();
        var mlp = Irreps.Parse(config.MlpIrreps);
        Add("node_embedding.linear.weight", 1, elements * channels);
        int n = config.NumInteractions;
        for (int i = 0; i < n; i++)
        {
            string p = $"interactions.{i}.";
            var inIrreps = i == 0 ? nodeIrreps : hidden;
            var outIrreps = i == n - 1 ? new Irreps([hidden[0]]) : hidden;
            foreach (var (key, value) in constants)
                if (key.StartsWith($"interactions.1.conv_tp._compiled_main_left_right._w3j_", StringComparison.Ordinal))
                    weights[key.Replace("interactions.1.", p)] = value;
            var w3j = new Wigner3j((l1, l2, l3) => constants.TryGetValue($"interactions.1.conv_tp._compiled_main_left_right._w3j_{l1}_{l2}_{l3}", out var t) ? t.Data : null);
            var conv = new TensorProductUvu(inIrreps, sh, interactionIrreps, w3j, TensorOptions.CpuFloat64);
            Add($"{p}linear_up.weight", 1, E3Linear.WeightCount(inIrreps, inIrreps));
            int[] widths = [config.NumBessel, .. config.RadialMlp, conv.WeightCount];
            for (int k = 0; k + 1 < widths.Length; k++) Add($"{p}conv_tp_weights.layer{k}.weight", 1, widths[k], widths[k + 1]);
            Add($"{p}linear.weight", 1, E3Linear.WeightCount(conv.IrrepsOut.Simplify(), interactionIrreps));
            // Residual blocks mix the input into the output; plain ones mix the message (interaction irreps to themselves).
            Add($"{p}skip_tp.weight", 1, MaceConfig.IsResidual(config.InteractionClass(i))
                ? ScalarTensorProduct.WeightCount(inIrreps, elements, outIrreps)
                : ScalarTensorProduct.WeightCount(interactionIrreps, elements, interactionIrreps));
            for (int j = 0; j < outIrreps.Count; j++)
            {
                string c = $"products.{i}.symmetric_contractions.contractions.{j}.";
                string template = $"products.0.symmetric_contractions.contractions.{outIrreps[j].Ir.L}.";
                int corr = config.Correlation[i];
                for (int nu = 1; nu <= corr; nu++)
                {
                    var u = constants.TryGetValue($"{template}U_matrix_{nu}", out var t) ? t
                        : throw new MaceModelException($"the constants lack '{template}U_matrix_{nu}'");
                    weights[$"{c}U_matrix_{nu}"] = u;
                    long k = u.Shape[^1];
                    Add(nu == corr ? $"{c}weights_max" : $"{c}weights.{corr - 1 - nu}", 1.0 / k, elements, k, channels);
                }
            }
            Add($"products.{i}.linear.weight", 1, E3Linear.WeightCount(outIrreps, outIrreps));
            if (i < n - 1) Add($"readouts.{i}.linear.weight", 1, E3Linear.WeightCount(hidden, Irreps.Parse("1x0e")));
            else
            {
                Add($"readouts.{i}.linear_1.weight", 1, E3Linear.WeightCount(outIrreps, mlp));
                Add($"readouts.{i}.linear_2.weight", 1, E3Linear.WeightCount(mlp, Irreps.Parse("1x0e")));
            }
        }
        return weights;
    }
}
