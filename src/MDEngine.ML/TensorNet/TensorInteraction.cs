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

    public Tensor Forward(Tensor x, Tensor sender, Tensor receiver, Tensor basis, Tensor cutoff)
    {
        long nodes = x.shape[0], edges = basis.shape[0];
        var f = basis;
        foreach (var layer in _radial) f = nn.functional.silu(layer.Forward(f));
        f = (f * cutoff.unsqueeze(1)).view(edges, _units, 3);

        x = x / (SquaredNorm(x) + 1).unsqueeze(-1).unsqueeze(-1);
        var (i, a, s) = Decompose(x);
        i = MixChannels(_mix[0], i);
        a = MixChannels(_mix[1], a);
        s = MixChannels(_mix[2], s);
        var y = i + a + s;

        // matgl gathers the message at the edge's receiving end and sums it onto the sending one; every pair is in
        // the graph in both directions with the same radial weights, so that is the neighbor's Y summed onto the centre.
        var message = Weighted(f[.., .., 0], i.index_select(0, receiver))
                    + Weighted(f[.., .., 1], a.index_select(0, receiver))
                    + Weighted(f[.., .., 2], s.index_select(0, receiver));
        var m = zeros([nodes, _units, 3, 3], x.dtype, x.device).index_add_(0, sender, message, 1.0);

        var product = _reflectionInvariant ? matmul(m, y) + matmul(y, m) : 2 * matmul(y, m);
        var (pi, pa, ps) = Decompose(product);
        var scale = (SquaredNorm(product) + 1).unsqueeze(-1).unsqueeze(-1);
        var dx = MixChannels(_mix[3], pi / scale) + MixChannels(_mix[4], pa / scale) + MixChannels(_mix[5], ps / scale);
        return x + dx + matmul(dx, dx);
    }

    private static Tensor Weighted(Tensor weight, Tensor t) => weight.unsqueeze(-1).unsqueeze(-1) * t;
}
