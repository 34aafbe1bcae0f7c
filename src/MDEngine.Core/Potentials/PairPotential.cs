using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>
/// A potential that is a sum over pairs, E = Σ_{i&lt;j} φ(r_ij), evaluated on a half neighbor list. Subclasses give
/// φ and dφ/dr. Forces F_i = Σ_j φ'(r) r̂_ij; stress σ_ab = (1/V) Σ_pairs φ'(r) r_a r_b / r (ASE's sign).
/// </summary>
public abstract class PairPotential : Potential
{
    /// <summary>Pair energy and its radial derivative for species zi, zj at distance r (r &lt; Cutoff).</summary>
    protected abstract (double Energy, double Derivative) Pair(int zi, int zj, double r);

    public override PotentialResult Compute(Structure s, NeighborList neighbors, Quantities what)
    {
        bool wantForces = what.HasFlag(Quantities.Forces), wantStress = what.HasFlag(Quantities.Stress) && s.Pbc.AllPeriodic;
        bool wantAtomEnergies = what.HasFlag(Quantities.AtomEnergies);
        // A full list counts every pair twice.
        double weight = neighbors.IsFull ? 0.5 : 1.0;
        var forces = wantForces ? new Vec3[s.Count] : null;
        var atomEnergies = wantAtomEnergies ? new double[s.Count] : null;
        double energy = 0, sxx = 0, syy = 0, szz = 0, syz = 0, sxz = 0, sxy = 0;
        double cutoff = Cutoff;
        for (int p = 0; p < neighbors.Count; p++)
        {
            double r = neighbors.Distances[p];
            if (r >= cutoff) continue;
            int i = neighbors.I[p], j = neighbors.J[p];
            var (e, de) = Pair(s.Numbers[i], s.Numbers[j], r);
            energy += weight * e;
            if (atomEnergies is not null) { atomEnergies[i] += 0.5 * weight * e; atomEnergies[j] += 0.5 * weight * e; }
            var v = neighbors.Vectors[p];
            double f = weight * de / r;
            if (forces is not null)
            {
                // v points from i to j: dE/dr_j = φ' v/r, so j is pushed along −v·φ'/r and i the opposite way.
                var fv = f * v;
                forces[i] += fv;
                forces[j] -= fv;
            }
            if (wantStress)
            {
                sxx += f * v.X * v.X; syy += f * v.Y * v.Y; szz += f * v.Z * v.Z;
                syz += f * v.Y * v.Z; sxz += f * v.X * v.Z; sxy += f * v.X * v.Y;
            }
        }
        Mat3? stress = null;
        if (wantStress)
        {
            double invV = 1.0 / s.Volume;
            stress = invV * new Mat3(sxx, sxy, sxz, sxy, syy, syz, sxz, syz, szz);
        }
        return new PotentialResult { Energy = energy, Forces = forces, Stress = stress, AtomEnergies = atomEnergies };
    }
}

/// <summary>Lennard-Jones, φ(r) = 4ε[(σ/r)¹² − (σ/r)⁶], optionally shifted to zero at the cutoff.</summary>
public sealed class LennardJones(double epsilon, double sigma, double cutoff, bool shift = false) : PairPotential
{
    private readonly double _shift = shift ? 4 * epsilon * (Math.Pow(sigma / cutoff, 12) - Math.Pow(sigma / cutoff, 6)) : 0;

    public double Epsilon { get; } = epsilon;
    public double Sigma { get; } = sigma;
    public override string Name => FormattableString.Invariant($"lj:epsilon={Epsilon},sigma={Sigma},cutoff={Cutoff}");
    public override double Cutoff { get; } = cutoff;

    protected override (double Energy, double Derivative) Pair(int zi, int zj, double r)
    {
        double sr2 = Sigma * Sigma / (r * r), sr6 = sr2 * sr2 * sr2, sr12 = sr6 * sr6;
        return (4 * Epsilon * (sr12 - sr6) - _shift, 24 * Epsilon * (sr6 - 2 * sr12) / r);
    }
}
