using MDEngine.ML.Kernels;
using MDEngine.ML.Graphs;
using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.E3nn;

/// <summary>
/// The fused CPU convolution against the same product evaluated with torch operations (gather of the senders,
/// batched products, index_add onto the receivers): values and the gradients of all three inputs, on an irregular
/// graph (unsorted edges, a node without incoming edges, repeated pairs), with a channel count that leaves a
/// remainder after the SIMD width, random 3j blocks with zeros, and several threads.
/// </summary>
public class UvuConvolutionKernelTests
{
    private static readonly Irreps In1 = Irreps.Parse("11x0e+11x1o");
    private static readonly Irreps Sh = Irreps.SphericalHarmonics(3);
    private static readonly Irreps Target = Irreps.Parse("11x0e+11x1o+11x2e+11x3o");

    private static Wigner3j RandomBlocks(int seed)
    {
        var rng = new Random(seed);
        var blocks = new Dictionary<(int, int, int), double[]>();
        return new Wigner3j((l1, l2, l3) =>
        {
            if (!blocks.TryGetValue((l1, l2, l3), out var block))
                blocks[(l1, l2, l3)] = block = Enumerable.Range(0, (2 * l1 + 1) * (2 * l2 + 1) * (2 * l3 + 1))
                    .Select(_ => rng.NextDouble() < 0.4 ? 0.0 : rng.NextDouble() - 0.5).ToArray();
            return block;
        });
    }

    private static (EdgeLayout Layout, Tensor Sh, long[] Sender) Graph(int nodes, int edges, int seed, ScalarType dtype)
    {
        var rng = new Random(seed);
        var sender = new long[edges]; var receiver = new long[edges];
        for (int e = 0; e < edges; e++) { sender[e] = rng.Next(nodes); receiver[e] = 1 + rng.Next(nodes - 1); } // node 0 receives nothing
        sender[1] = sender[0]; receiver[1] = receiver[0];
        var layout = new EdgeLayout(nodes, sender, receiver, null, CPU);
        return (layout, randn(edges, Sh.Dim, dtype: dtype), sender);
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-12)]
    [InlineData(ScalarType.Float32, 2e-5)]
    public void FusedKernelEqualsTorchOperationsWithGradients(ScalarType dtype, double tolerance)
    {
        manual_seed(7);
        var tp = new TensorProductUvu(In1, Sh, Target, RandomBlocks(3), new TensorOptions(dtype, CPU));
        var (layout, sh0, _) = Graph(9, 70, 5, dtype);
        var x0 = randn(9, In1.Dim, dtype: dtype);
        var w0 = randn(70, tp.WeightCount, dtype: dtype);
        var probe = randn(9, tp.IrrepsOut.Dim, dtype: dtype);

        (Tensor Y, Tensor[] Grads) Evaluate(bool fused)
        {
            var x = x0.clone().requires_grad_(true); var sh = sh0.clone().requires_grad_(true); var w = w0.clone().requires_grad_(true);
            var y = fused ? tp.ForwardNodes(x, sh, w, layout) : tp.Forward(x.index_select(0, layout.Sender), sh, w, layout);
            var grads = autograd.grad([(y * probe).sum()], [x, sh, w]);
            return (y.detach(), grads.ToArray());
        }

        var (yFused, gFused) = Evaluate(true);
        var (yTorch, gTorch) = Evaluate(false);
        AssertClose(yTorch, yFused, tolerance);
        for (int k = 0; k < 3; k++) AssertClose(gTorch[k], gFused[k], tolerance);
        Assert.Equal(0.0, yFused[0].to(ScalarType.Float64).abs().max().item<double>()); // nothing flows into node 0
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-12)]
    [InlineData(ScalarType.Float32, 2e-5)]
    public void WeightsSharedByAnEdgeAndItsReverseEqualTheExpandedPerEdgeWeights(ScalarType dtype, double tolerance)
    {
        manual_seed(9);
        var tp = new TensorProductUvu(In1, Sh, Target, RandomBlocks(8), new TensorOptions(dtype, CPU));
        // Pairs of opposite edges (two of them between the same two nodes, as for two periodic images).
        var pairs = new (long A, long B)[] { (0, 1), (1, 2), (2, 0), (3, 1), (0, 1), (4, 4), (2, 3), (4, 0) };
        var sender = new List<long>(); var receiver = new List<long>(); var reverse = new List<long>();
        foreach (var (a, b) in pairs)
        {
            int e = sender.Count;
            sender.Add(a); receiver.Add(b); reverse.Add(e + 1);
            sender.Add(b); receiver.Add(a); reverse.Add(e);
        }
        var layout = new EdgeLayout(5, [.. sender], [.. receiver], [.. reverse], CPU);
        Assert.NotNull(layout.PairRepresentatives);
        Assert.Equal(pairs.Length, layout.PairRepresentatives!.shape[0]);
        var x0 = randn(5, In1.Dim, dtype: dtype);
        var sh0 = randn(sender.Count, Sh.Dim, dtype: dtype);
        var w0 = randn(pairs.Length, tp.WeightCount, dtype: dtype);
        var probe = randn(5, tp.IrrepsOut.Dim, dtype: dtype);

        var fused = MessagesAndGradients(tp, layout, x0, sh0, w0, probe, fused: true);
        var expanded = MessagesAndGradients(tp, layout, x0, sh0, w0, probe, fused: false);
        for (int k = 0; k < 4; k++) AssertClose(expanded[k], fused[k], tolerance);
    }

    /// <summary>The messages and the gradients of (messages · probe) with respect to x, sh and the pair weights: by the
    /// fused kernel, or by torch's operations on the weights expanded to every edge.</summary>
    private static Tensor[] MessagesAndGradients(TensorProductUvu tp, EdgeLayout layout, Tensor x0, Tensor sh0, Tensor w0, Tensor probe, bool fused)
    {
        var x = x0.clone().requires_grad_(true); var sh = sh0.clone().requires_grad_(true); var w = w0.clone().requires_grad_(true);
        var y = fused ? tp.ForwardNodes(x, sh, w, layout, pairedWeights: true)
            : tp.Forward(x.index_select(0, layout.Sender), sh, w.index_select(0, layout.EdgePairIndex!), layout);
        return [y.detach(), .. autograd.grad([(y * probe).sum()], [x, sh, w])];
    }

    /// <summary>
    /// The kernel's general blocks: an l = 2 input (five input rows, past the one- and three-row blocks) and an l = 4
    /// output (nine rows, more than one register block); and weights shared by an edge and its reverse on three
    /// threads, so that pairs are split between threads (the weight gradient's side rows) as well as within one.
    /// </summary>
    [Theory]
    [InlineData(ScalarType.Float64, 1e-12)]
    [InlineData(ScalarType.Float32, 2e-5)]
    public void LargerIrrepsAndSharedWeightsOnThreeThreadsEqualTorchOperations(ScalarType dtype, double tolerance)
    {
        manual_seed(13);
        var in1 = Irreps.Parse("11x0e+11x1o+11x2e");
        var tp = new TensorProductUvu(in1, Irreps.SphericalHarmonics(2), Irreps.Parse("11x0e+11x1o+11x2e+11x3o+11x4e"),
            RandomBlocks(6), new TensorOptions(dtype, CPU));
        var rng = new Random(4);
        var sender = new List<long>(); var receiver = new List<long>(); var reverse = new List<long>();
        for (int k = 0; k < 40; k++)
        {
            long a = rng.Next(7), b = k == 0 ? a : rng.Next(7); // one node its own neighbour (a periodic image)
            int e = sender.Count;
            sender.Add(a); receiver.Add(b); reverse.Add(e + 1);
            sender.Add(b); receiver.Add(a); reverse.Add(e);
        }
        var layout = new EdgeLayout(7, [.. sender], [.. receiver], [.. reverse], CPU);
        var x0 = randn(7, in1.Dim, dtype: dtype);
        var sh0 = randn(sender.Count, 9, dtype: dtype);
        var w0 = randn(layout.PairRepresentatives!.shape[0], tp.WeightCount, dtype: dtype);
        var probe = randn(7, tp.IrrepsOut.Dim, dtype: dtype);

        int before = get_num_threads();
        set_num_threads(3);
        Tensor[] kernel;
        try { kernel = MessagesAndGradients(tp, layout, x0, sh0, w0, probe, fused: true); }
        finally { set_num_threads(before); }
        var torch = MessagesAndGradients(tp, layout, x0, sh0, w0, probe, fused: false);
        for (int k = 0; k < 4; k++) AssertClose(torch[k], kernel[k], tolerance);
    }

    [Fact]
    public unsafe void ThreadsSplitTheReceiversWithoutChangingTheResult()
    {
        manual_seed(11);
        var tp = new TensorProductUvu(In1, Sh, Target, RandomBlocks(4), TensorOptions.CpuFloat64);
        var (layout, sh, _) = Graph(13, 150, 6, ScalarType.Float64);
        var x = randn(13, 4, 11, dtype: ScalarType.Float64); // channels last: rows 0e, 1o(3)
        var w = randn(150, tp.PathCount * 11, dtype: ScalarType.Float64);
        var kernel = new UvuConvolutionKernel<double>(11, 4, 16 + 24, Sh.Dim, tp.KernelPaths);
        var results = new List<Tensor[]>();
        foreach (int threads in new[] { 1, 3 })
        {
            var y = zeros(13, kernel.Columns, 11, dtype: ScalarType.Float64);
            manual_seed(1);
            var gy = randn(13, kernel.Columns, 11, dtype: ScalarType.Float64);
            // NaN-filled outputs: the kernel must write every entry of them.
            var gx = full_like(x, double.NaN); var gsh = full_like(sh, double.NaN); var gw = full_like(w, double.NaN);
            kernel.Forward(TensorMemory.Pointer<double>(x), TensorMemory.Pointer<double>(sh), TensorMemory.Pointer<double>(w), TensorMemory.Pointer<double>(y), layout, threads);
            kernel.Backward(TensorMemory.Pointer<double>(x), TensorMemory.Pointer<double>(sh), TensorMemory.Pointer<double>(w), TensorMemory.Pointer<double>(gy),
                TensorMemory.Pointer<double>(gx), TensorMemory.Pointer<double>(gsh), TensorMemory.Pointer<double>(gw), layout, threads);
            results.Add([y, gx, gsh, gw]);
        }
        for (int k = 0; k < 4; k++) AssertClose(results[0][k], results[1][k], 1e-13);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        double scale = expected.to(ScalarType.Float64).abs().max().item<double>();
        Assert.True(scale > 1e-3, "a vanishing reference proves nothing");
        double error = (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(error <= tolerance * scale, $"max |difference| {error:E3} relative to {scale:E3}");
    }
}
