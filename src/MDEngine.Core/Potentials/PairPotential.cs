using MDEngine.Neighbors;
using MDEngine.Potentials.Pair;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>
/// A potential that is a sum over pairs, E = Σ_{i&lt;j} φ(r_ij), evaluated on a half neighbor list. Subclasses give
/// φ and dφ/dr through <see cref="Pair"/>; the built-in pair potentials (<see cref="LennardJones"/>,
/// <see cref="Morse"/>) use an inlined kernel instead. Forces F_i = Σ_j φ'(r) r̂_ij; stress σ_ab = (1/V) Σ_pairs
/// φ'(r) r_a r_b / r (ASE's sign).
/// </summary>
public abstract class PairPotential : Potential
{
    /// <summary>Pair energy and its radial derivative for species zi, zj at distance r (r &lt; Cutoff).</summary>
    protected abstract (double Energy, double Derivative) Pair(int zi, int zj, double r);

    public override void Compute(PotentialBatch batch)
    {
        // Types are the atomic numbers themselves: the virtual Pair gets (zi, zj).
        const int types = Element.MaxZ + 1;
        batch.ComputeEach((s, neighbors, what, forces) =>
            PairSum.Run(new VirtualKernel(this, Cutoff * Cutoff, types), s, neighbors, what, s.Numbers, types, forces));
    }

    private readonly struct VirtualKernel(PairPotential potential, double cutoffSquared, int types) : IPairKernel
    {
        public bool BranchFree => false;

        public double CutoffSquared(int typePair) => cutoffSquared;

        public void Evaluate(int typePair, double r2, out double energy, out double derivativeOverR)
        {
            double r = Math.Sqrt(r2);
            var (e, de) = potential.Pair(typePair / types, typePair % types, r);
            energy = e;
            derivativeOverR = de / r;
        }
    }
}
