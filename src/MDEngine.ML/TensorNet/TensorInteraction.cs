using static MDEngine.ML.TensorNet.CartesianTensors;
using static TorchSharp.torch;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// One TensorNet interaction block (paper eqs. 8–11; matgl's TensorNetInteraction): X is normalised by 1 + its squared
/// norm, its I, A and S parts are channel-mixed into Y, every edge carries its neighbor's mixed parts weighted by
/// radial functions f_I, f_A, f_S (an MLP of the basis, times the cosine cutoff), the sum over neighbors M meets Y in
/// the O(3)-equivariant product M·Y + Y·M (2 Y·M for SO(3)), whose parts are normalised, mixed again into dX, and
/// X ← X + dX + dX·dX.
/// </summary>
public sealed class TensorInteraction
{
    private readonly Dense[] _radial;   // linears_scalar 0..2
    private readonly Tensor[] _mix;     // linears_tensor 0..5
    private readonly int _units;
    private readonly bool _reflectionInvariant;

    public TensorInteraction(TensorNetWeights w, int block, int units, int basis, bool reflectionInvariant)
    {
        string p = $"model.layers.{block}.";
        _units = units;
        _reflectionInvariant = reflectionInvariant;
        _radial = [w.Dense(p + "linears_scalar.0", basis, units), w.Dense(p + "linears_scalar.1", units, 2 * units), w.Dense(p + "linears_scalar.2", 2 * units, 3 * units)];
        _mix = [.. Enumerable.Range(0, 6).Select(k => w.Get($"{p}linears_tensor.{k}.weight", units, units))];
    }

    /// <summary>The updated node tensors; the radial basis [P, K] and cutoff [P] are per pair of opposite edges,
    /// <paramref name="pairOfEdge"/> [E] gives every edge its pair.</summary>
    public Tensor Forward(Tensor x, Tensor sender, Tensor receiver, Tensor basis, Tensor cutoff, Tensor pairOfEdge)
    {
        long nodes = x.shape[0], edges = pairOfEdge.shape[0];
        var f = basis;
        foreach (var layer in _radial) f = nn.functional.silu(layer.Forward(f));
        f = (f * cutoff.unsqueeze(1)).index_select(0, pairOfEdge).view(edges, _units, 3);

        x = x / (SquaredNorm(x) + 1).unsqueeze(-1).unsqueeze(-1);
        var (i, a, s) = Decompose(x);
        i = MixChannels(_mix[0], i);
        a = MixChannels(_mix[1], a);
        s = MixChannels(_mix[2], s);
        var y = i + a + s;

        // matgl gathers the message at the edge's receiving end and sums it onto the sending one; every pair is in
        // the graph in both directions with the same radial weights, so that is the neighbor's Y summed onto the centre.
        // The parts travel packed as 13 numbers per channel (I by its trace/3, A by its axial vector, S whole), so
        // each edge moves 13 instead of 27: M = Σ_j f_I i_j 𝟙 + Skew(Σ_j f_A a_j) + Σ_j f_S S_j.
        var packed = cat([i[.., .., 0, 0].unsqueeze(-1), AxialVector(a), ToRows(s)], -1);           // [N, C, 13]
        var weights = f.index_select(2, PackedComponent(f.device));                                 // [E, C, 13]
        var summed = zeros([nodes, _units, 13], x.dtype, x.device)
            .index_add_(0, sender, packed.index_select(0, receiver) * weights, 1.0);
        var m = summed[.., .., 0].unsqueeze(-1).unsqueeze(-1) * eye(3, 3, x.dtype, x.device)
              + Skew(summed[.., .., 1..4]) + ToMatrices(summed[.., .., 4..]);

        var product = _reflectionInvariant ? matmul(m, y) + matmul(y, m) : 2 * matmul(y, m);
        var (pi, pa, ps) = Decompose(product);
        var scale = (SquaredNorm(product) + 1).unsqueeze(-1).unsqueeze(-1);
        var dx = MixChannels(_mix[3], pi / scale) + MixChannels(_mix[4], pa / scale) + MixChannels(_mix[5], ps / scale);
        return x + dx + matmul(dx, dx);
    }

    /// <summary>Which radial weight (0 = f_I, 1 = f_A, 2 = f_S) scales each of the 13 packed components.</summary>
    private static Tensor PackedComponent(Device device) =>
        tensor(new long[] { 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2 }).to(device);
}
