using static MDEngine.ML.TensorNet.CartesianTensors;
using static TorchSharp.torch;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// TensorNet's embedding (paper eqs. 5–7; matgl's TensorEmbedding): every edge j → i with unit vector û (from the
/// neighbor j to the centre i) and radial weights f_k(r) = φ(r)·(W_k e(r) + b_k) builds the tensor
/// Z_ij ⊙ (f_I 𝟙 + f_A Skew(û) + f_S (ûûᵀ − 𝟙/3)), Z_ij a linear map of the pair's atom embeddings; the sum over the
/// neighbors of i is normalised by channel norms fed through an MLP, after a channel mixing of each part.
/// </summary>
public sealed class TensorEmbedding
{
    private readonly Tensor _species;          // [elements, C]
    private readonly Dense _pair;              // emb2: [x_j, x_i] → Z_ij
    private readonly Dense[] _radial;          // distance_proj1..3 for I, A, S
    private readonly Tensor[] _mix;            // linears_tensor 0..2
    private readonly LayerNorm _norm;          // init_norm
    private readonly Dense[] _scalars;         // linears_scalar 0..1
    private readonly int _units;

    public TensorEmbedding(TensorNetWeights w, int elements, int units, int basis)
    {
        const string p = "model.tensor_embedding.";
        _units = units;
        _species = w.Get(p + "emb.weight", elements, units);
        _pair = w.Dense(p + "emb2", 2 * units, units);
        _radial = [w.Dense(p + "distance_proj1", basis, units), w.Dense(p + "distance_proj2", basis, units), w.Dense(p + "distance_proj3", basis, units)];
        _mix = [.. Enumerable.Range(0, 3).Select(k => w.Get($"{p}linears_tensor.{k}.weight", units, units))];
        _norm = w.LayerNorm(p + "init_norm", units);
        _scalars = [w.Dense(p + "linears_scalar.0", units, 2 * units), w.Dense(p + "linears_scalar.1", 2 * units, 3 * units)];
    }

    /// <summary>[N, C, 3, 3] node tensors from the species [N], the edges' unit vectors [E, 3] (neighbor → centre),
    /// and per pair of opposite edges the radial basis [P, K] and cutoff values [P]; <paramref name="pairOfEdge"/> [E]
    /// gives every edge its pair.</summary>
    public Tensor Forward(Tensor species, Tensor sender, Tensor receiver, Tensor unit, Tensor basis, Tensor cutoff, Tensor pairOfEdge)
    {
        long nodes = species.shape[0];
        var x = _species.index_select(0, species);
        var z = _pair.Forward(cat([x.index_select(0, sender), x.index_select(0, receiver)], 1));   // [E, C]
        var phi = cutoff.unsqueeze(1);
        Tensor Radial(int k) => (_radial[k].Forward(basis) * phi).index_select(0, pairOfEdge);
        var fI = z * Radial(0);
        var fA = z * Radial(1);
        var fS = z * Radial(2);
        var options = (fI.dtype, fI.device);
        // Σ_j f_I 𝟙, Σ_j f_A Skew(û) = Skew(Σ_j f_A û) and Σ_j f_S (ûûᵀ − 𝟙/3), summed onto the centre atom.
        var eye3 = eye(3, 3, options.dtype, options.device);
        var isotropic = zeros([nodes, _units], options.dtype, options.device).index_add_(0, receiver, fI, 1.0)
            .unsqueeze(-1).unsqueeze(-1) * eye3;
        var antisymmetric = Skew(zeros([nodes, _units, 3], options.dtype, options.device)
            .index_add_(0, receiver, fA.unsqueeze(-1) * unit.unsqueeze(1), 1.0));
        var symmetric = zeros([nodes, _units, 9], options.dtype, options.device)
            .index_add_(0, receiver, fS.unsqueeze(-1) * ToRows(SymmetricTracelessOuter(unit)).unsqueeze(1), 1.0)
            .view(nodes, _units, 3, 3);

        var norm = _norm.Forward(SquaredNorm(isotropic + antisymmetric + symmetric));
        foreach (var layer in _scalars) norm = nn.functional.silu(layer.Forward(norm));
        norm = norm.view(nodes, _units, 3);
        return norm[.., .., 0].unsqueeze(-1).unsqueeze(-1) * MixChannels(_mix[0], isotropic)
             + norm[.., .., 1].unsqueeze(-1).unsqueeze(-1) * MixChannels(_mix[1], antisymmetric)
             + norm[.., .., 2].unsqueeze(-1).unsqueeze(-1) * MixChannels(_mix[2], symmetric);
    }
}
