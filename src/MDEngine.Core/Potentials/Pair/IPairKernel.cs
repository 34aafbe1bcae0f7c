namespace MDEngine.Potentials.Pair;

/// <summary>A pair interaction φ(r) between species types, evaluated inline by <see cref="PairSum"/> (a struct, so that
/// the JIT specialises the pair loop for it and no call is made per pair).</summary>
public interface IPairKernel
{
    /// <summary>Whether <see cref="Evaluate"/> is cheap and finite for every pair of the list, also beyond the cutoff:
    /// then the pair sum evaluates every pair and masks out those beyond the cutoff instead of branching, which avoids
    /// a branch the CPU mispredicts about as often as thermal motion moves pairs across the cutoff.</summary>
    bool BranchFree { get; }

    /// <summary>Squared cutoff for the type pair (a flat index ti·types + tj).</summary>
    double CutoffSquared(int typePair);

    /// <summary>φ(r) and φ'(r)/r for the type pair at squared distance r², r below its cutoff (kernels that need r
    /// take the square root themselves, so that those that do not, such as Lennard-Jones, never pay for it).</summary>
    void Evaluate(int typePair, double r2, out double energy, out double derivativeOverR);
}
