using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MDEngine.Geometry;

namespace MDEngine.Potentials.Pair;

/// <summary>
/// The pair sum's inner loop four pairs at a time (AVX2, <see cref="PairLanes"/>): the kernel evaluates four pairs in
/// one go, and only the scatter onto the neighbors stays scalar.
/// </summary>
internal static unsafe class PairSumVectorLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TKernel>(TKernel k, in PairSumChunk chunk) where TKernel : struct, IVectorPairKernel
    {
        var offsets = chunk.Offsets;
        var forces = chunk.Forces; var atomEnergies = chunk.AtomEnergies;
        int types = chunk.Types;
        bool wantStress = chunk.WantStress, uniformType = types == 1;
        var weight = Vector256.Create(chunk.Weight);
        var infinity = Vector256.Create(double.PositiveInfinity);
        Vector256<double> energy = default, xx = default, yy = default, zz = default, yz = default, xz = default, xy = default;
        var minR2 = infinity;
        var scratch = stackalloc double[16];
        fixed (Vec3* positionBase = chunk.Positions)
        fixed (Vec3* shiftTable = chunk.ShiftTable)
        fixed (int* shiftCodes = chunk.ShiftCodes)
        fixed (int* J = chunk.J)
        fixed (int* typeOfAtom = chunk.TypeOfAtom)
        {
            double* px = (double*)positionBase, sx = (double*)shiftTable;
            for (int i = chunk.First; i < chunk.End; i++)
            {
                var ri = positionBase[i];
                var ti = Vector128.Create(typeOfAtom[i] * types);
                Vector256<double> fxi = default, fyi = default, fzi = default;
                int pEnd = offsets[i + 1];
                for (int p = offsets[i]; p < pEnd; p += 4)
                {
                    var pair = new PairLanes(px, sx, shiftCodes, J, p, pEnd, ri);
                    var r2 = pair.SquaredLength;
                    minR2 = Vector256.Min(minR2, r2);
                    var typePairs = uniformType ? Vector128<int>.Zero : ti + Avx2.GatherVector128(typeOfAtom, pair.J, 4);
                    var inside = Vector256.LessThan(r2, k.CutoffSquared(typePairs));
                    k.Evaluate(typePairs, r2, out var e, out var dOverR);
                    e &= inside;
                    energy += e;
                    var f = weight * dOverR & inside;
                    Vector256<double> fx = f * pair.Dx, fy = f * pair.Dy, fz = f * pair.Dz;
                    if (wantStress)
                    {
                        xx += fx * pair.Dx; yy += fy * pair.Dy; zz += fz * pair.Dz;
                        yz += fy * pair.Dz; xz += fx * pair.Dz; xy += fx * pair.Dy;
                    }
                    if (forces is not null)
                    {
                        // E depends on d = r_j − r_i: ∂E/∂r_j = φ' d/r, so F_j = −φ' d/r and F_i = +φ' d/r.
                        fxi += fx; fyi += fy; fzi += fz;
                        PairLanes.SubtractFromNeighbors(forces, J + p, pair.Count, fx, fy, fz, scratch);
                    }
                    if (atomEnergies is not null)
                    {
                        var half = e * weight * 0.5;
                        atomEnergies[i] += Vector256.Sum(half);
                        PairLanes.AddToNeighbors(atomEnergies, J + p, pair.Count, half, scratch);
                    }
                }
                if (forces is not null)
                {
                    ref var fi = ref forces[i];
                    fi.X += Vector256.Sum(fxi); fi.Y += Vector256.Sum(fyi); fi.Z += Vector256.Sum(fzi);
                }
            }
        }
        double min = double.PositiveInfinity;
        for (int q = 0; q < 4; q++) min = Math.Min(min, minR2.GetElement(q));
        chunk.Store(chunk.Weight * Vector256.Sum(energy), Vector256.Sum(xx), Vector256.Sum(yy), Vector256.Sum(zz),
            Vector256.Sum(yz), Vector256.Sum(xz), Vector256.Sum(xy), min);
    }

}
