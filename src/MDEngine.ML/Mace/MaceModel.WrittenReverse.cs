using System.Numerics;
using System.Runtime.CompilerServices;
using MDEngine.ML.E3nn;
using MDEngine.ML.Graphs;
using MDEngine.ML.Kernels;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// MACE's energies and edge gradients from a reverse pass written out whole (<see cref="EdgeEnergyModel.EnergiesAndEdgeGradient"/>):
/// the channels-last layers' node (<see cref="ChannelsLastPass"/>) run forward and backward directly, with the edge
/// geometry before them (lengths, harmonics, radial basis) and its Jacobians on the host's kernels.
/// </summary>
public sealed partial class MaceModel
{
    /// <summary>
    /// Forces and stress without an autograd graph where every step has its reverse written out: the fused CPU layers
    /// (<see cref="UsesChannelsLast"/>) fed by the row kernels of the harmonics and the radial basis, without the
    /// steps that stay torch operations (density normalisers, the Agnesi transform, ZBL). The energies come from
    /// <see cref="ChannelsLastPass.Forward"/>, ∂E/∂v_e from its reverse pass seeded with ∂E/∂(layers' energy) = scale,
    /// then through the harmonics' and the radial basis' Jacobians and d|v|/dv = v/|v|. Autograd would run the same
    /// kernels; what this saves is its bookkeeping between them (node creation, saved tensors, the engine's dispatch,
    /// the accumulation of the vectors' gradient), all on the calling thread while the others wait.
    /// </summary>
    public override (Tensor Energies, Tensor EdgeGradient)? EnergiesAndEdgeGradient(GraphBatch batch)
    {
        var vectors = batch.Vectors;
        bool written = _agnesi is null && _zbl is null && Config.MaxEll <= SphericalHarmonics.MaxPolynomialL && RowKernelsServe(vectors)
            && _interactions.All(b => b is AgnosticInteraction { DensityNet: null }) && UsesChannelsLast(vectors);
        if (!written) return null;
        using var noGrad = no_grad();
        vectors = vectors.detach();
        var (graph, groups) = GraphOf(batch, hostOnly: true); // every step below is a CPU kernel
        var elements = batch.Species;
        bool paired = graph.PairEdges is not null;
        StageClock.Mark("graph");
        var radialLengths = EdgeLengths(vectors, paired ? graph.PairEdges : null);
        var sh = _harmonicsRows.Evaluate(vectors);
        var radialBasis = _radial.Rows();
        var radial = radialBasis.Evaluate(radialLengths);
        StageClock.Mark("spherical harmonics, radial basis");
        var embedding = _nodeEmbedding.Value.index_select(0, elements);
        var pass = new ChannelsLastPass(this, embedding, elements, groups, ProductElements(elements, groups).Groups, graph, paired);
        var energies = AtomEnergies(elements, pass.Forward(sh, radial, radialLengths, new Tensor?[_interactions.Length]));
        var (gSh, gRadial, gLengths, _) = pass.Reverse(full(elements.shape[0], 1, Config.Scale[Head], dtype: vectors.dtype));
        var g = gSh is null ? zeros_like(vectors) : _harmonicsRows.Reverse(vectors, gSh);
        if (gRadial is not null) gLengths = gLengths is null ? radialBasis.Reverse(radialLengths, gRadial) : gLengths.add_(radialBasis.Reverse(radialLengths, gRadial));
        if (gLengths is not null) AddLengthGradient(g, vectors, radialLengths, gLengths, paired ? graph.PairEdges : null);
        StageClock.Mark("reverse: harmonics, radial basis");
        return (energies, g);
    }

    /// <summary>|v_e| [count, 1] of every edge, or with pairs of each pair's first edge (<see cref="EdgeLayout.PairRepresentatives"/>).</summary>
    private static unsafe Tensor EdgeLengths(Tensor vectors, int[]? pairEdges)
    {
        vectors = vectors.contiguous();
        long count = pairEdges is null ? vectors.shape[0] : pairEdges.Length / 2;
        var lengths = empty(count, 1, dtype: vectors.dtype);
        if (vectors.dtype == ScalarType.Float32) EdgeLengths(TensorMemory.Pointer<float>(vectors), TensorMemory.Pointer<float>(lengths), (int)count, pairEdges);
        else EdgeLengths(TensorMemory.Pointer<double>(vectors), TensorMemory.Pointer<double>(lengths), (int)count, pairEdges);
        GC.KeepAlive(vectors);
        return lengths;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void EdgeLengths<T>(T* v, T* lengths, int count, int[]? pairEdges) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < count; k++)
        {
            long e = pairEdges is null ? k : pairEdges[2 * k];
            double x = double.CreateTruncating(v[3 * e]), y = double.CreateTruncating(v[3 * e + 1]), z = double.CreateTruncating(v[3 * e + 2]);
            lengths[k] = T.CreateTruncating(Math.Sqrt(x * x + y * y + z * z));
        }
    }

    /// <summary>g[e] += v_e/|v_e| · gLengths[k] for the edge e of each length k: every edge, or with pairs the pair's
    /// first edge (its length stands for both: <see cref="EdgeLayout.PairRepresentatives"/>).</summary>
    private static unsafe void AddLengthGradient(Tensor g, Tensor vectors, Tensor lengths, Tensor gLengths, int[]? pairEdges)
    {
        gLengths = gLengths.contiguous(); lengths = lengths.contiguous(); vectors = vectors.contiguous();
        if (g.dtype == ScalarType.Float32)
            AddLengthGradient(TensorMemory.Pointer<float>(g), TensorMemory.Pointer<float>(vectors), TensorMemory.Pointer<float>(lengths), TensorMemory.Pointer<float>(gLengths), (int)lengths.shape[0], pairEdges);
        else
            AddLengthGradient(TensorMemory.Pointer<double>(g), TensorMemory.Pointer<double>(vectors), TensorMemory.Pointer<double>(lengths), TensorMemory.Pointer<double>(gLengths), (int)lengths.shape[0], pairEdges);
        GC.KeepAlive(vectors); GC.KeepAlive(lengths); GC.KeepAlive(gLengths);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AddLengthGradient<T>(T* g, T* v, T* lengths, T* gLengths, int count, int[]? pairEdges) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < count; k++)
        {
            long e = pairEdges is null ? k : pairEdges[2 * k];
            if (lengths[k] == T.Zero) continue; // torch's norm has a zero subgradient at 0
            T scale = gLengths[k] / lengths[k];
            for (int a = 0; a < 3; a++) g[3 * e + a] += v[3 * e + a] * scale;
        }
    }
}
