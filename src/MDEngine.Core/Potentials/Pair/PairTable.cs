namespace MDEngine.Potentials.Pair;

/// <summary>Per species-pair parameters in flat symmetric arrays indexed ti·n + tj.</summary>
internal static class PairTable
{
    public static double[] Symmetric(int n, Func<int, int, double> value)
    {
        var t = new double[n * n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) t[a * n + b] = value(a, b);
        return t;
    }
}

/// <summary>How unlike-pair parameters follow from like-pair ones when not given explicitly.</summary>
public enum MixingRule
{
    /// <summary>ε_ij = √(ε_i ε_j), σ_ij = √(σ_i σ_j) (LAMMPS's default, <c>pair_modify mix geometric</c>).</summary>
    Geometric,
    /// <summary>Lorentz–Berthelot: ε_ij = √(ε_i ε_j), σ_ij = (σ_i + σ_j)/2 (<c>pair_modify mix arithmetic</c>).</summary>
    Arithmetic,
}
