using MDEngine.ML.E3nn;
using MDEngine.ML.IO;

namespace MDEngine.ML.Mace;

/// <summary>
/// The U matrices of MACE's symmetric contraction (Batatia et al. 2022, eq. 10: the generalised Clebsch–Gordan
/// coefficients that couple ν copies of the node features into one output irrep), built as mace-torch builds them when
/// it does not use cuequivariance (<c>use_reduced_cg = False</c>, mace.tools.cg.U_matrix_real): every coupling path
/// ((l₁ ⊗ l₂) → l₁₂) ⊗ l₃ → … of real Wigner 3j blocks in e3nn's basis and "component" normalisation (each block scaled
/// by √(2l_out+1)), paths ordered by their output irrep (stably, as Python's sort) and those reaching the requested
/// irrep stacked along the last axis. The set is over-complete, as mace-torch's is; the weights are what mix it.
/// For ν = 4 mace-torch keeps only intermediate irreps of natural parity (0e, 1o, 2e, …); so does this.
/// A model trained with these matrices is a model mace-torch would have built.
/// </summary>
public static class SymmetricContractionBasis
{
    /// <summary>One coupling path: its output irrep and coefficients C[m_out, i₁, …, i_k] (row major, d^k per m_out).</summary>
    private sealed record Path(Irrep Output, double[] Coefficients);

    /// <summary>U_matrix_ν for the coupling irreps (each irrep once, e.g. 0e+1o+2e+3o) and one output irrep: shape
    /// [2l+1, d, …, d, paths] (ν axes of d = couplingIrreps.Dim), the first axis dropped for a scalar output, as
    /// mace-torch stores it; a single zero path where no coupling reaches the output.</summary>
    public static SafeTensor UMatrix(Irreps couplingIrreps, Irrep output, int correlation)
    {
        if (correlation < 1) throw new ArgumentOutOfRangeException(nameof(correlation), "correlation must be at least 1");
        int d = couplingIrreps.Dim;
        Func<Irrep, bool> keepIntermediate = correlation == 4 ? ir => ir.P == (ir.L % 2 == 0 ? 1 : -1) : _ => true;
        var paths = Couple(couplingIrreps, correlation, keepIntermediate).Where(p => p.Output == output).ToArray();
        long size = (long)Math.Pow(d, correlation);
        var shape = new List<long>();
        if (output.Dim > 1) shape.Add(output.Dim);
        shape.AddRange(Enumerable.Repeat((long)d, correlation));
        if (paths.Length == 0)
        {
            shape.Add(1);
            return new SafeTensor("F64", [.. shape], new double[output.Dim * size]);
        }
        shape.Add(paths.Length);
        // Stack the paths along a new last axis: U[m, i…, p] = C_p[m, i…].
        var data = new double[output.Dim * size * paths.Length];
        for (int p = 0; p < paths.Length; p++)
        {
            var c = paths[p].Coefficients;
            for (long k = 0; k < c.LongLength; k++) data[k * paths.Length + p] = c[k];
        }
        return new SafeTensor("F64", [.. shape], data);
    }

    /// <summary>Every coupling path of <paramref name="count"/> copies of <paramref name="irreps"/> (mace's _wigner_nj),
    /// sorted by output irrep.</summary>
    private static List<Path> Couple(Irreps irreps, int count, Func<Irrep, bool> keepIntermediate)
    {
        int d = irreps.Dim;
        var paths = new List<Path>();
        if (count == 1)
        {
            // Each irrep of the input picks its own slice: the rows of the identity.
            int offset = 0;
            foreach (var (mul, ir) in irreps)
                for (int u = 0; u < mul; u++, offset += ir.Dim)
                {
                    var c = new double[ir.Dim * d];
                    for (int m = 0; m < ir.Dim; m++) c[m * d + offset + m] = 1;
                    paths.Add(new Path(ir, c));
                }
            return paths;
        }
        long leftSize = (long)Math.Pow(d, count - 1);
        foreach (var left in Couple(irreps, count - 1, keepIntermediate))
        {
            int offset = 0, dl = left.Output.Dim;
            foreach (var (mul, ir) in irreps)
            {
                foreach (var outIr in left.Output.Times(ir))
                {
                    if (!keepIntermediate(outIr)) continue;
                    int dOut = outIr.Dim, dr = ir.Dim;
                    var w3j = Wigner3jSymbols.Compute(outIr.L, left.Output.L, ir.L); // [dOut, dl, dr]
                    double norm = Math.Sqrt(dOut);
                    for (int q = 0; q < w3j.Length; q++) w3j[q] *= norm; // "component" normalisation, applied to the block as mace-torch does
                    for (int u = 0; u < mul; u++)
                    {
                        // C[o, k, offset + u·dr + r] = Σ_j C_left[j, k] w3j[o, j, r]   (k runs over the left axes)
                        var c = new double[dOut * leftSize * d];
                        int start = offset + u * dr;
                        for (int o = 0; o < dOut; o++)
                            for (long k = 0; k < leftSize; k++)
                                for (int r = 0; r < dr; r++)
                                {
                                    double sum = 0;
                                    for (int j = 0; j < dl; j++) sum += left.Coefficients[j * leftSize + k] * w3j[(o * dl + j) * dr + r];
                                    c[(o * leftSize + k) * d + start + r] = sum;
                                }
                        paths.Add(new Path(outIr, c));
                    }
                }
                offset += mul * ir.Dim;
            }
        }
        // Stable, as Python's sorted: paths with the same output keep the order they were made in.
        return [.. paths.OrderBy(p => p.Output)];
    }
}
