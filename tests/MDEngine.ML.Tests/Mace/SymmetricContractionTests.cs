using MDEngine.ML.E3nn;
using MDEngine.ML.Mace;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.Mace;

public class SymmetricContractionTests
{
    [Fact]
    public void SparseMonomialFormEqualsDenseUTensorForm()
    {
        var model = MaceFixture.Potential.Model;
        var rng = new Random(11);
        foreach (var layer in model.ContractionWeights)
            foreach (var weights in layer)
            {
                var dense = new DenseSymmetricContraction(weights, TensorOptions.CpuFloat64);
                var sparse = new SparseSymmetricContraction(weights, TensorOptions.CpuFloat64);
                Assert.True(sparse.MonomialCount < 16 + 136 + 816);
                int nodes = 5;
                var x = tensor(Enumerable.Range(0, nodes * weights.Channels * weights.FeatureDim).Select(_ => rng.NextDouble() * 2 - 1).ToArray(),
                    [nodes, weights.Channels, weights.FeatureDim], ScalarType.Float64);
                var elements = tensor(new long[] { 0, 1, 1, 0, 1 });
                var a = dense.Forward(x, elements).data<double>().ToArray();
                var b = sparse.Forward(x, elements).data<double>().ToArray();
                double scale = a.Max(Math.Abs);
                Assert.True(scale > 1e-3);
                Assert.True(a.Zip(b, (p, q) => Math.Abs(p - q)).Max() <= 1e-13 * scale);
            }
    }
}
