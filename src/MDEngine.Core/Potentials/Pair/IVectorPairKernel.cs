using System.Runtime.Intrinsics;

namespace MDEngine.Potentials.Pair;

/// <summary>A pair kernel that also evaluates four pairs at once (AVX2 lanes), so that <see cref="PairSum"/> runs its
/// vectorized loop. Lanes must give the same values as <see cref="IPairKernel.Evaluate"/> up to round-off, and must be
/// finite for any r² &gt; 0 (lanes beyond the cutoff are evaluated and masked out).</summary>
public interface IVectorPairKernel : IPairKernel
{
    /// <summary>Squared cutoffs of four type pairs (flat indices ti·types + tj).</summary>
    Vector256<double> CutoffSquared(Vector128<int> typePairs);

    /// <summary>φ(r) and φ'(r)/r of four pairs at squared distances <paramref name="r2"/>.</summary>
    void Evaluate(Vector128<int> typePairs, Vector256<double> r2, out Vector256<double> energy, out Vector256<double> derivativeOverR);
}
