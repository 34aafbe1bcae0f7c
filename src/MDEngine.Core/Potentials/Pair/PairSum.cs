using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials.Pair;

/// <summary>
/// The pair sum E = Σ_{i&lt;j} φ(r_ij) over a half (or full, counted with weight ½) neighbor list, threaded over atom
/// chunks. Forces F_i = Σ_j φ'(r) d/r with d = r_j − r_i; virial W_ab = Σ φ'(r) d_a d_b / r; stress = W/V.
/// Kernels that implement <see cref="IVectorPairKernel"/> run four pairs per iteration where AVX2 is available
/// (<see cref="PairSumVectorLoop"/>); the others, and other CPUs, the scalar loop below.
/// </summary>
public static class PairSum
{
    public static PotentialResult Run<TKernel>(TKernel kernel, Structure s, NeighborList list, Quantities what,
        int[] typeOfAtom, int types) where TKernel : struct, IPairKernel => Run(kernel, s, list, what, typeOfAtom, types, null);

    /// <param name="forceDestination">Where the forces go (one per atom, overwritten); null allocates.</param>
    public static PotentialResult Run<TKernel>(TKernel kernel, Structure s, NeighborList list, Quantities what,
        int[] typeOfAtom, int types, Vec3[]? forceDestination) where TKernel : struct, IPairKernel =>
        Sum(s, list, what, typeOfAtom, types, forceDestination, (in PairSumChunk chunk) => ScalarLoop(kernel, chunk));

    /// <summary>As <see cref="Run{TKernel}(TKernel, Structure, NeighborList, Quantities, int[], int, Vec3[])"/>, four
    /// pairs at a time when the CPU has AVX2.</summary>
    public static PotentialResult RunVectorized<TKernel>(TKernel kernel, Structure s, NeighborList list, Quantities what,
        int[] typeOfAtom, int types, Vec3[]? forceDestination = null) where TKernel : struct, IVectorPairKernel =>
        Avx2.IsSupported
            ? Sum(s, list, what, typeOfAtom, types, forceDestination, (in PairSumChunk chunk) => PairSumVectorLoop.Run(kernel, chunk))
            : Run(kernel, s, list, what, typeOfAtom, types, forceDestination);

    internal delegate void ChunkLoop(in PairSumChunk chunk);

    private static PotentialResult Sum(Structure s, NeighborList list, Quantities what, int[] typeOfAtom, int types,
        Vec3[]? forceDestination, ChunkLoop loop)
    {
        bool wantForces = what.HasFlag(Quantities.Forces);
        bool wantStress = what.HasFlag(Quantities.Stress);
        bool wantAtomEnergies = what.HasFlag(Quantities.AtomEnergies);
        if (s.Positions.Length != list.AtomCount) throw new ArgumentException($"{s.Positions.Length} atoms for a neighbor list of {list.AtomCount}.");
        using var acc = new ChunkedAccumulator(list, wantForces, wantAtomEnergies, forceDestination: forceDestination);
        var (shiftCodes, shiftTable) = list.CompactShifts(s.Cell.Matrix);
        double weight = list.IsFull ? 0.5 : 1.0;
        acc.Run((c, first, end) => loop(new PairSumChunk(acc, c, first, end, s.Positions, shiftCodes, shiftTable, list.J, list.Offsets,
            typeOfAtom, types, weight, wantStress, acc.Forces?[c], acc.AtomEnergies?[c])));
        return acc.Result(s, wantStress, tracksClosestPair: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarLoop<TKernel>(TKernel k, in PairSumChunk chunk) where TKernel : struct, IPairKernel
    {
        var positions = chunk.Positions; var shiftCodes = chunk.ShiftCodes; var shiftTable = chunk.ShiftTable; var typeOfAtom = chunk.TypeOfAtom;
        var J = chunk.J; var offsets = chunk.Offsets;
        var forces = chunk.Forces; var atomEnergies = chunk.AtomEnergies;
        double weight = chunk.Weight;
        bool wantStress = chunk.WantStress;
        double energy = 0, minR2 = double.PositiveInfinity;
        var sum = new PairForceSum();
        for (int i = chunk.First; i < chunk.End; i++)
        {
            int ti = typeOfAtom[i] * chunk.Types;
            var ri = positions[i];
            int pEnd = offsets[i + 1];
            for (int p = offsets[i]; p < pEnd; p++)
            {
                // d = r_j + S·h − r_i, from the current positions: the list's pairs beyond the cutoff (its skin)
                // cost a squared length and no square root.
                int j = J[p];
                var rj = positions[j];
                var sv = shiftTable[shiftCodes[p]];
                double dx = rj.X + sv.X - ri.X, dy = rj.Y + sv.Y - ri.Y, dz = rj.Z + sv.Z - ri.Z;
                double r2 = dx * dx + dy * dy + dz * dz;
                if (r2 < minR2) minR2 = r2;
                int tp = ti + typeOfAtom[j];
                double e, dOverR;
                if (k.BranchFree)
                {
                    // inside = 1 below the cutoff, 0 beyond, by a compare mask rather than a branch.
                    var below = Vector128.LessThan(Vector128.CreateScalarUnsafe(r2), Vector128.CreateScalarUnsafe(k.CutoffSquared(tp)));
                    double inside = Vector128.BitwiseAnd(below, Vector128.CreateScalarUnsafe(1.0)).ToScalar();
                    k.Evaluate(tp, r2, out e, out dOverR);
                    e *= inside; dOverR *= inside;
                }
                else
                {
                    if (r2 >= k.CutoffSquared(tp)) continue;
                    k.Evaluate(tp, r2, out e, out dOverR);
                }
                energy += e;
                if (atomEnergies is not null) { atomEnergies[i] += 0.5 * weight * e; atomEnergies[j] += 0.5 * weight * e; }
                sum.Add(weight * dOverR, dx, dy, dz, forces, j, wantStress);
            }
            sum.EndAtom(forces, i);
        }
        chunk.Store(weight * energy, sum.XX, sum.YY, sum.ZZ, sum.YZ, sum.XZ, sum.XY, minR2);
    }
}

/// <summary>What one chunk of the pair sum reads and where it writes: the atoms [First, End), their pairs (shifts as
/// <see cref="NeighborList.CompactShifts"/> gives them), and the chunk's own force and per-atom energy buffers (null
/// when not wanted).</summary>
internal readonly record struct PairSumChunk(ChunkedAccumulator Accumulator, int Index, int First, int End,
    Vec3[] Positions, int[] ShiftCodes, Vec3[] ShiftTable, int[] J, int[] Offsets, int[] TypeOfAtom, int Types, double Weight,
    bool WantStress, Vec3[]? Forces, double[]? AtomEnergies)
{
    public void Store(double energy, double xx, double yy, double zz, double yz, double xz, double xy, double minR2) =>
        Accumulator.StoreChunk(Index, energy, xx, yy, zz, yz, xz, xy, minR2);
}
