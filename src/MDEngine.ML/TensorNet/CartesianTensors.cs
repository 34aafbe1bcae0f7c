using static TorchSharp.torch;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// Rank-2 Cartesian tensors as TensorNet uses them (Simeon and De Fabritiis, NeurIPS 2023, eq. 1): a 3×3 matrix X per
/// channel split into its isotropic part I = (tr X / 3)·𝟙 (rotates like a scalar), antisymmetric part
/// A = (X − Xᵀ)/2 (a vector) and symmetric traceless part S = (X + Xᵀ)/2 − I (an l = 2 tensor). Feature tensors are
/// [..., C, 3, 3].
/// </summary>
public static class CartesianTensors
{
    /// <summary>(I, A, S) of X, X = I + A + S.</summary>
    public static (Tensor I, Tensor A, Tensor S) Decompose(Tensor x)
    {
        var transposed = x.transpose(-2, -1);
        var isotropic = x.diagonal(0, -2, -1).mean([-1L]).unsqueeze(-1).unsqueeze(-1) * eye(3, 3, x.dtype, x.device);
        var antisymmetric = 0.5 * (x - transposed);
        var symmetricTraceless = 0.5 * (x + transposed) - isotropic;
        return (isotropic, antisymmetric, symmetricTraceless);
    }

    /// <summary>The squared Frobenius norm Σ_ab X_ab² of every matrix ([..., 3, 3] → [...]), invariant under O(3)
    /// (matgl's tensor_norm is this square, not its root).</summary>
    public static Tensor SquaredNorm(Tensor x) => x.square().sum([-2L, -1L]);

    /// <summary>The antisymmetric matrix of a vector: [[0, −u_z, u_y], [u_z, 0, −u_x], [−u_y, u_x, 0]] ([..., 3] → [..., 3, 3]).</summary>
    public static Tensor Skew(Tensor u)
    {
        var zero = zeros_like(u[TensorIndex.Ellipsis, 0]);
        var (ux, uy, uz) = (u[TensorIndex.Ellipsis, 0], u[TensorIndex.Ellipsis, 1], u[TensorIndex.Ellipsis, 2]);
        return ToMatrices(stack([zero, -uz, uy, uz, zero, -ux, -uy, ux, zero], -1));
    }

    /// <summary>The vector a of an antisymmetric matrix A = Skew(a): a = (A_zy, A_xz, A_yx) ([..., 3, 3] → [..., 3]).</summary>
    public static Tensor AxialVector(Tensor antisymmetric) =>
        stack([antisymmetric[TensorIndex.Ellipsis, 2, 1], antisymmetric[TensorIndex.Ellipsis, 0, 2], antisymmetric[TensorIndex.Ellipsis, 1, 0]], -1);

    /// <summary>The symmetric traceless part of u uᵀ: u uᵀ − (|u|²/3)·𝟙 ([..., 3] → [..., 3, 3]).</summary>
    public static Tensor SymmetricTracelessOuter(Tensor u)
    {
        var outer = u.unsqueeze(-1) * u.unsqueeze(-2);
        return outer - outer.diagonal(0, -2, -1).mean([-1L]).unsqueeze(-1).unsqueeze(-1) * eye(3, 3, u.dtype, u.device);
    }

    /// <summary>[..., 9] → [..., 3, 3] (row-major).</summary>
    public static Tensor ToMatrices(Tensor t) => t.reshape([.. t.shape[..^1], 3, 3]);

    /// <summary>[..., 3, 3] → [..., 9] (row-major).</summary>
    public static Tensor ToRows(Tensor t) => t.reshape([.. t.shape[..^2], 9]);

    /// <summary>Mixes channels without touching the 3×3 part, Y_c = Σ_c' W_cc' X_c' (a bias-free linear layer over
    /// channels, which commutes with rotations): [N, C, 3, 3] → [N, C', 3, 3].</summary>
    public static Tensor MixChannels(Tensor weight, Tensor x)
    {
        if (x.dim() != 4) return ToMatrices(matmul(weight, ToRows(x)));
        // One matrix product [N·9, C]·Wᵀ over all nodes and components: the broadcast matmul W·X would run N small
        // products of [C', C]·[C, 9], each a separate call into the matrix library (a fifth of TensorNet's time).
        long n = x.shape[0], c = x.shape[1];
        var rows = x.reshape(n, c, 9).transpose(1, 2).reshape(n * 9, c);
        return rows.mm(weight.t()).view(n, 9, -1).transpose(1, 2).reshape(n, -1, 3, 3);
    }
}
