namespace MDEngine.Potentials.Pair;

/// <summary>A pair interaction φ(r) between species types, evaluated inline by <see cref="PairSum"/> (a struct, so that
/// the JIT specialises the pair loop for it and no call is made per pair).</summary>
public interface IPairKernel
{
    /// <summary>Squared cutoff for the type pair (a flat index ti·types + tj).</summary>
    double CutoffSquared(int typePair);

    /// <summary>φ(r) and φ'(r)/r for the type pair at distance r (r² given too), r below its cutoff.</summary>
    void Evaluate(int typePair, double r, double r2, out double energy, out double derivativeOverR);
}
