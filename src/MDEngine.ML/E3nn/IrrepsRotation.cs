using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// How an element g of O(3) acts on features in e3nn's mul_ir layout. A 3×3 orthogonal matrix g is written as
/// g = s·R with R a proper rotation and s = det g = ±1; on an irrep (l, p) it acts as p^k D^l(R), k = 0 for
/// s = +1 and k = 1 for s = −1 (e3nn <c>Irrep.D_from_matrix</c>). On a direct sum it is block diagonal: one such
/// block per copy of each irrep.
/// </summary>
public static class IrrepsRotation
{
    /// <summary>The (2l+1)×(2l+1) matrix of the orthogonal matrix <paramref name="g"/> on one irrep.</summary>
    public static double[,] D(this Irrep ir, double[,] g)
    {
        double det = Rotations.Determinant(g);
        if (Math.Abs(Math.Abs(det) - 1) > 1e-6) throw new ArgumentException($"not an orthogonal matrix (det = {det})");
        double s = Math.Sign(det);
        var r = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) r[i, j] = s * g[i, j];
        var d = WignerD.FromMatrix(ir.L, r);
        if (s < 0 && ir.P < 0)
            for (int i = 0; i < ir.Dim; i++)
                for (int j = 0; j < ir.Dim; j++) d[i, j] = -d[i, j];
        return d;
    }

    /// <summary>The block-diagonal Dim×Dim matrix of <paramref name="g"/> on the whole feature vector.</summary>
    public static double[,] D(this Irreps irreps, double[,] g)
    {
        var result = new double[irreps.Dim, irreps.Dim];
        int offset = 0;
        foreach (var mi in irreps)
        {
            var d = mi.Ir.D(g);
            for (int u = 0; u < mi.Mul; u++, offset += mi.Ir.Dim)
                for (int i = 0; i < mi.Ir.Dim; i++)
                    for (int j = 0; j < mi.Ir.Dim; j++) result[offset + i, offset + j] = d[i, j];
        }
        return result;
    }

    /// <summary>Features [N, Dim] transformed by <paramref name="g"/>: x ↦ x D(g)ᵀ (each row rotated).</summary>
    public static Tensor Transform(this Irreps irreps, Tensor x, double[,] g)
    {
        var d = irreps.D(g);
        int n = irreps.Dim;
        var flat = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) flat[j * n + i] = d[i, j];   // Dᵀ
        var dt = tensor(flat, [n, n], ScalarType.Float64).to(x.dtype, x.device);
        return x.matmul(dt);
    }
}
