using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// Numerical equivariance check, as e3nn's <c>util.test.assert_equivariant</c>: for random inputs x and random
/// elements g of O(3) (proper rotations, and with <c>parity</c> also rotations composed with the inversion −1),
///   error(g) = max | f(D_in(g) x) − D_out(g) f(x) |,
/// where D acts on each argument through its irreps (<see cref="IrrepsRotation"/>: Wigner D per block, times p for an
/// irrep of parity p under an improper g). Returns the worst error over all trials and outputs.
/// </summary>
public static class Equivariance
{
    /// <param name="f">the function, from one [batch, irrepsIn[k].Dim] tensor per input to one [batch, irrepsOut[k].Dim] per output</param>
    /// <param name="trials">random rotations drawn; with <paramref name="parity"/> each is also tried composed with −1</param>
    /// <param name="batch">rows of the random inputs (standard normal)</param>
    public static double Check(Func<Tensor[], Tensor[]> f, Irreps[] irrepsIn, Irreps[] irrepsOut,
        int trials = 3, bool parity = true, int batch = 5, int seed = 0, TensorOptions? options = null)
    {
        options ??= TensorOptions.CpuFloat64;
        var rng = new Random(seed);
        double worst = 0;
        for (int t = 0; t < trials; t++)
        {
            var inputs = irrepsIn.Select(ir => options.Make(Enumerable.Range(0, batch * ir.Dim).Select(_ => Rotations.Gaussian(rng)).ToArray(), batch, ir.Dim)).ToArray();
            var r = Rotations.Random(rng);
            var elements = new List<double[,]> { r };
            if (parity)
            {
                var minus = new double[3, 3];
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) minus[i, j] = -r[i, j];
                elements.Add(minus);
            }
            var outputs = f(inputs);
            if (outputs.Length != irrepsOut.Length) throw new ArgumentException($"the function returned {outputs.Length} outputs, {irrepsOut.Length} irreps were given");
            for (int k = 0; k < outputs.Length; k++)
                if (outputs[k].shape[^1] != irrepsOut[k].Dim) throw new ArgumentException($"output {k} has width {outputs[k].shape[^1]}, {irrepsOut[k]} has dimension {irrepsOut[k].Dim}");
            foreach (var g in elements)
            {
                var rotatedOutputs = f(inputs.Select((x, k) => irrepsIn[k].Transform(x, g)).ToArray());
                for (int k = 0; k < outputs.Length; k++)
                {
                    var expected = irrepsOut[k].Transform(outputs[k], g);
                    if (expected.numel() == 0) continue;
                    worst = Math.Max(worst, (rotatedOutputs[k] - expected).abs().max().to(ScalarType.Float64).item<double>());
                }
            }
        }
        return worst;
    }
}
