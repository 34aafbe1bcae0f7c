using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials.Pair;

/// <summary>
/// The pair sum E = Σ_{i&lt;j} φ(r_ij) over a half (or full, counted with weight ½) neighbor list, threaded over atom
/// chunks. Forces F_i = Σ_j φ'(r) d/r with d = r_j − r_i; virial W_ab = Σ φ'(r) d_a d_b / r; stress = W/V.
/// </summary>
public static class PairSum
{
    public static PotentialResult Run<TKernel>(TKernel kernel, Structure s, NeighborList list, Quantities what,
        int[] typeOfAtom, int types) where TKernel : struct, IPairKernel
    {
        bool wantForces = what.HasFlag(Quantities.Forces);
        bool wantStress = what.HasFlag(Quantities.Stress) && s.Pbc.AllPeriodic;
        bool wantAtomEnergies = what.HasFlag(Quantities.AtomEnergies);
        double weight = list.IsFull ? 0.5 : 1.0;
        using var acc = new ChunkedAccumulator(list, wantForces, wantAtomEnergies);
        acc.Run((c, first, end) =>
        {
            var k = kernel;
            var forces = acc.Forces?[c];
            var atomEnergies = acc.AtomEnergies?[c];
            var I = list.I; var J = list.J; var vectors = list.Vectors; var distances = list.Distances;
            double energy = 0, xx = 0, yy = 0, zz = 0, yz = 0, xz = 0, xy = 0;
            for (int i = first; i < end; i++)
            {
                int ti = typeOfAtom[i] * types;
                double fxi = 0, fyi = 0, fzi = 0;
                int pEnd = list.Offsets[i + 1];
                for (int p = list.Offsets[i]; p < pEnd; p++)
                {
                    double r = distances[p];
                    double r2 = r * r;
                    int j = J[p];
                    int tp = ti + typeOfAtom[j];
                    if (r2 >= k.CutoffSquared(tp)) continue;
                    k.Evaluate(tp, r, r2, out double e, out double dOverR);
                    energy += e;
                    if (atomEnergies is not null) { atomEnergies[i] += 0.5 * weight * e; atomEnergies[j] += 0.5 * weight * e; }
                    var d = vectors[p];
                    double f = weight * dOverR;
                    double fx = f * d.X, fy = f * d.Y, fz = f * d.Z;
                    if (forces is not null)
                    {
                        // E depends on d = r_j − r_i: ∂E/∂r_j = φ' d/r, so F_j = −φ' d/r and F_i = +φ' d/r.
                        fxi += fx; fyi += fy; fzi += fz;
                        ref var fj = ref forces[j];
                        fj.X -= fx; fj.Y -= fy; fj.Z -= fz;
                    }
                    if (wantStress)
                    {
                        xx += fx * d.X; yy += fy * d.Y; zz += fz * d.Z;
                        yz += fy * d.Z; xz += fx * d.Z; xy += fx * d.Y;
                    }
                }
                if (forces is not null) { ref var fi = ref forces[i]; fi.X += fxi; fi.Y += fyi; fi.Z += fzi; }
            }
            int o = c * ChunkedAccumulator.SumStride;
            acc.Sums[o] = weight * energy;
            acc.Sums[o + 1] = xx; acc.Sums[o + 2] = yy; acc.Sums[o + 3] = zz;
            acc.Sums[o + 4] = yz; acc.Sums[o + 5] = xz; acc.Sums[o + 6] = xy;
        });
        return new PotentialResult
        {
            Energy = acc.Energy(),
            Forces = acc.ReduceForces(),
            Stress = wantStress ? acc.Stress(s.Volume) : null,
            AtomEnergies = acc.ReduceAtomEnergies(),
        };
    }
}
