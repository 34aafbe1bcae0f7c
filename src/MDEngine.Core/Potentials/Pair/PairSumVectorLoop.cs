using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MDEngine.Geometry;

namespace MDEngine.Potentials.Pair;

/// <summary>
/// The pair sum's inner loop four pairs at a time (AVX2): the neighbor positions and shift vectors are gathered, the
/// kernel evaluates four pairs in one go, and only the force scatter onto the neighbors stays scalar (two lanes may
/// name the same atom in a small cell, which a vector scatter would get wrong). An atom's last one to three pairs
/// run as a partial vector whose unused lanes read a valid pair and are masked out.
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
        var lane = Vector128.Create(0, 1, 2, 3);
        var infinity = Vector256.Create(double.PositiveInfinity);
        Vector256<double> energy = default, xx = default, yy = default, zz = default, yz = default, xz = default, xy = default;
        var minR2 = infinity;
        var scratch = stackalloc double[16];
        fixed (Vec3* positionBase = chunk.Positions)
        fixed (Vec3* shiftBase = chunk.ShiftVectors)
        fixed (int* J = chunk.J)
        fixed (int* typeOfAtom = chunk.TypeOfAtom)
        {
            double* px = (double*)positionBase, sx = (double*)shiftBase;
            for (int i = chunk.First; i < chunk.End; i++)
            {
                var ri = positionBase[i];
                Vector256<double> rix = Vector256.Create(ri.X), riy = Vector256.Create(ri.Y), riz = Vector256.Create(ri.Z);
                var ti = Vector128.Create(typeOfAtom[i] * types);
                Vector256<double> fxi = default, fyi = default, fzi = default;
                int pEnd = offsets[i + 1];
                for (int p = offsets[i]; p < pEnd; p += 4)
                {
                    int count = Math.Min(4, pEnd - p);
                    // Unused lanes of a partial vector repeat the first pair (any valid index will do) and are masked.
                    var valid = Vector128.LessThan(lane, Vector128.Create(count));
                    var j = count == 4 ? Vector128.Load(J + p) : Vector128.ConditionalSelect(valid, Load(J + p, count), Vector128.Create(J[p]));
                    var atomIndex = j * 3;
                    var pairIndex = Vector128.ConditionalSelect(valid, Vector128.Create(3 * p) + lane * 3, Vector128.Create(3 * p));
                    // d = r_j + S·h − r_i for four pairs.
                    var dx = Avx2.GatherVector256(px, atomIndex, 8) + Avx2.GatherVector256(sx, pairIndex, 8) - rix;
                    var dy = Avx2.GatherVector256(px + 1, atomIndex, 8) + Avx2.GatherVector256(sx + 1, pairIndex, 8) - riy;
                    var dz = Avx2.GatherVector256(px + 2, atomIndex, 8) + Avx2.GatherVector256(sx + 2, pairIndex, 8) - riz;
                    var r2 = dx * dx + dy * dy + dz * dz;
                    if (count < 4) r2 = Vector256.ConditionalSelect(Widen(valid), r2, infinity);
                    minR2 = Vector256.Min(minR2, r2);
                    var typePairs = uniformType ? Vector128<int>.Zero : ti + Avx2.GatherVector128(typeOfAtom, j, 4);
                    var inside = Vector256.LessThan(r2, k.CutoffSquared(typePairs));
                    k.Evaluate(typePairs, r2, out var e, out var dOverR);
                    e &= inside;
                    energy += e;
                    var f = weight * dOverR & inside;
                    Vector256<double> fx = f * dx, fy = f * dy, fz = f * dz;
                    if (wantStress)
                    {
                        xx += fx * dx; yy += fy * dy; zz += fz * dz;
                        yz += fy * dz; xz += fx * dz; xy += fx * dy;
                    }
                    if (forces is not null)
                    {
                        // E depends on d = r_j − r_i: ∂E/∂r_j = φ' d/r, so F_j = −φ' d/r and F_i = +φ' d/r.
                        fxi += fx; fyi += fy; fzi += fz;
                        fx.Store(scratch); fy.Store(scratch + 4); fz.Store(scratch + 8);
                        for (int q = 0; q < count; q++)
                        {
                            ref var fj = ref forces[J[p + q]];
                            fj.X -= scratch[q]; fj.Y -= scratch[4 + q]; fj.Z -= scratch[8 + q];
                        }
                    }
                    if (atomEnergies is not null)
                    {
                        (e * weight * 0.5).Store(scratch + 12);
                        for (int q = 0; q < count; q++) { atomEnergies[i] += scratch[12 + q]; atomEnergies[J[p + q]] += scratch[12 + q]; }
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

    private static Vector128<int> Load(int* source, int count) => count switch
    {
        1 => Vector128.Create(source[0], 0, 0, 0),
        2 => Vector128.Create(source[0], source[1], 0, 0),
        _ => Vector128.Create(source[0], source[1], source[2], 0),
    };

    /// <summary>A 4 × 32-bit lane mask as a 4 × 64-bit one.</summary>
    private static Vector256<double> Widen(Vector128<int> mask) => Avx2.ConvertToVector256Int64(mask).AsDouble();
}
