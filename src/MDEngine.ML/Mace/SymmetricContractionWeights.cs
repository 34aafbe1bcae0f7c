namespace MDEngine.ML.Mace;

/// <summary>
/// The constants and weights of one of mace-torch's <c>Contraction</c>s (one output irrep L of the symmetric
/// contraction): for each correlation order ν = 1..ν_max the generalised Clebsch–Gordan tensor U_ν of shape
/// [(2L+1,) d, ..., d (ν times), K_ν] (the leading axis is absent for L = 0) and the element-dependent weights
/// W_ν [elements, K_ν, channels]. The product basis is
/// B[n,c,M] = Σ_ν Σ_k W_ν[e(n),k,c] Σ_{i1..iν} U_ν[M,i1..iν,k] x[n,c,i1]···x[n,c,iν]   (Batatia et al. 2022, eq. 10–11).
/// </summary>
public sealed record SymmetricContractionWeights(int L, int FeatureDim, int Channels, int Elements, double[][] U, long[][] UShapes, double[][] W)
{
    public int Correlation => U.Length;
    public int OutDim => 2 * L + 1;

    /// <summary>K_ν, the number of coupled paths of order ν.</summary>
    public int Paths(int nu) => (int)UShapes[nu - 1][^1];
}
