using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MDEngine.Geometry;
using MDEngine.Potentials.Pair;
using MDEngine.Vectorization;

namespace MDEngine.Potentials.Eam;

/// <summary>
/// The EAM density and force passes four pairs at a time (AVX2): the same arithmetic as the scalar passes of
/// <see cref="EmbeddedAtom"/>, with each lane's spline coefficients gathered from the concatenated tables
/// (<see cref="EamTables.ConcatenatedRho"/>) at function · <see cref="EamTables.SplineLength"/> + 7m.
/// Lanes beyond the cutoff (or without a pair) evaluate the first interval and are masked out; pass 1 packs the pairs
/// within the cutoff (<see cref="PackedPairs"/>), so that pass 3 runs on full vectors without gathering positions.
/// </summary>
internal static unsafe class EamVectorPasses
{
    /// <summary>The spline interval m = min(⌊r/δ⌋ + 1, nr − 1) and the fraction p = min(r/δ + 1 − m, 1) of each
    /// lane, as the scalar passes compute them (LAMMPS's pair_eam).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Interval(Vector256<double> r, double rdr, int nr, out Vector128<int> offset)
    {
        var x = r * Vector256.Create(rdr) + Vector256<double>.One;
        var m = Vector128.Min(Avx.ConvertToVector128Int32WithTruncation(x), Vector128.Create(nr - 1));
        offset = m * EamSpline.Stride;
        return Vector256.Min(x - Avx.ConvertToVector256Double(m), Vector256<double>.One);
    }

    /// <summary>The function index of each lane's species pair: table[ti·ns + tj].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Function(int* table, Vector128<int> rowBase, Vector128<int> column, int ns) =>
        ns == 1 ? Vector128.Create(table[0]) : Avx2.GatherVector128(table, rowBase + column, 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Value(double* spline, Vector128<int> index, Vector256<double> x) =>
        ((Avx2.GatherVector256(spline + 3, index, 8) * x + Avx2.GatherVector256(spline + 4, index, 8)) * x
            + Avx2.GatherVector256(spline + 5, index, 8)) * x + Avx2.GatherVector256(spline + 6, index, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Derivative(double* spline, Vector128<int> index, Vector256<double> x) =>
        (Avx2.GatherVector256(spline, index, 8) * x + Avx2.GatherVector256(spline + 1, index, 8)) * x
            + Avx2.GatherVector256(spline + 2, index, 8);

    /// <summary>Pass 1: ρ_i += ρ_ji(r), ρ_j += ρ_ij(r); the pairs within the cutoff go packed into
    /// <paramref name="packed"/>. Returns the smallest squared pair distance seen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Densities(in EamPass pass, double[] rho, int first, int end, PackedPairs packed)
    {
        var t = pass.Tables;
        int ns = t.Species, nr = t.Nr, length = t.SplineLength;
        double rdr = 1.0 / t.Dr;
        var cutSq = Vector256.Create(t.Cutoff * t.Cutoff);
        var weight = Vector256.Create(pass.Weight);
        var minR2 = Vector256.Create(double.PositiveInfinity);
        var offsets = pass.Offsets;
        var scratch = stackalloc double[4];
        fixed (Vec3* positions = pass.Positions)
        fixed (Vec3* shiftTable = pass.ShiftTable)
        fixed (int* shiftCodes = pass.ShiftCodes)
        fixed (int* J = pass.J)
        fixed (int* types = pass.Types)
        fixed (int* rhoOf = t.RhoOf)
        fixed (double* rhoSplines = t.ConcatenatedRho)
        fixed (int* packedJ = packed.J)
        fixed (double* packedR = packed.R)
        fixed (double* packedDx = packed.Dx)
        fixed (double* packedDy = packed.Dy)
        fixed (double* packedDz = packed.Dz)
        fixed (int* packedEnd = packed.End)
        {
            int count = 0;
            for (int i = first; i < end; i++)
            {
                var ri = positions[i];
                int ti = types[i];
                var rhoI = Vector256<double>.Zero;
                int pEnd = offsets[i + 1];
                for (int p = offsets[i]; p < pEnd; p += 4)
                {
                    var pair = new PairLanes((double*)positions, (double*)shiftTable, shiftCodes, J, p, pEnd, ri);
                    var r2 = pair.SquaredLength;
                    minR2 = Vector256.Min(minR2, r2);
                    var inside = Vector256.LessThan(r2, cutSq);
                    uint within = inside.ExtractMostSignificantBits();
                    if (within == 0) continue;
                    var r = Vector256.Sqrt(r2 & inside);
                    // Pack the lanes within the cutoff (left-justified; the stores may write up to three lanes past them).
                    LeftPack.Pack(r, within).Store(packedR + count);
                    LeftPack.Pack(pair.Dx, within).Store(packedDx + count);
                    LeftPack.Pack(pair.Dy, within).Store(packedDy + count);
                    LeftPack.Pack(pair.Dz, within).Store(packedDz + count);
                    LeftPack.Pack(pair.J, within).Store(packedJ + count);
                    count += BitOperations.PopCount(within);
                    var x = Interval(r, rdr, nr, out var o);
                    var tj = ns == 1 ? Vector128<int>.Zero : Avx2.GatherVector128(types, pair.J, 4);
                    // ρ_ji (j's density at i) and ρ_ij: one function between like species, evaluated once.
                    var ja = Function(rhoOf, tj * ns, Vector128.Create(ti), ns);
                    var ib = Function(rhoOf, Vector128.Create(ti * ns), tj, ns);
                    var rhoJI = Value(rhoSplines, ja * length + o, x) & inside;
                    rhoI += rhoJI;
                    var rhoIJ = ja.Equals(ib) ? rhoJI : Value(rhoSplines, ib * length + o, x) & inside;
                    PairLanes.AddToNeighbors(rho, J + p, pair.Count, weight * rhoIJ, scratch);
                }
                rho[i] += pass.Weight * Vector256.Sum(rhoI);
                packedEnd[i - first] = count;
            }
        }
        double min = double.PositiveInfinity;
        for (int q = 0; q < 4; q++) min = Math.Min(min, minR2.GetElement(q));
        return min;
    }

    /// <summary>Pass 3 on the packed pairs of pass 1: embedding and pair energies, and the forces from
    /// dE/dr = F'_i ρ'_ji + F'_j ρ'_ij + φ'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static EamSums Forces(in EamPass pass, in EamForceOutput output, int first, int end, PackedPairs packed)
    {
        var t = pass.Tables;
        int ns = t.Species, nr = t.Nr, length = t.SplineLength;
        double rdr = 1.0 / t.Dr;
        var weight = Vector256.Create(pass.Weight);
        var forceArray = output.Forces; var atomEnergies = output.AtomEnergies;
        bool wantStress = output.WantStress;
        double embeddingEnergy = 0;
        Vector256<double> energy = default, xx = default, yy = default, zz = default, yz = default, xz = default, xy = default;
        var scratch = stackalloc double[12];
        fixed (int* types = pass.Types)
        fixed (int* rhoOf = t.RhoOf)
        fixed (int* pairOf = t.PairOf)
        fixed (double* rhoSplines = t.ConcatenatedRho)
        fixed (double* pairSplines = t.ConcatenatedPair)
        fixed (double* fp = output.EmbeddingDerivative)
        fixed (int* J = packed.J)
        fixed (double* packedR = packed.R)
        fixed (double* packedDx = packed.Dx)
        fixed (double* packedDy = packed.Dy)
        fixed (double* packedDz = packed.Dz)
        {
            for (int i = first; i < end; i++)
            {
                embeddingEnergy += output.Embedding[i];
                if (atomEnergies is not null) atomEnergies[i] += output.Embedding[i];
                int ti = types[i];
                var fpi = Vector256.Create(fp[i]);
                Vector256<double> fxi = default, fyi = default, fzi = default;
                int qEnd = packed.End[i - first];
                for (int q = packed.StartOf(i); q < qEnd; q += 4)
                {
                    int count = Math.Min(4, qEnd - q);
                    var j = Vector128.Load(J + q);
                    var r = Vector256.Load(packedR + q);
                    Vector256<double> dx = Vector256.Load(packedDx + q), dy = Vector256.Load(packedDy + q), dz = Vector256.Load(packedDz + q);
                    var valid = Vector256<double>.AllBitsSet;
                    if (count < 4)
                    {
                        // Lanes past the atom's last pair hold another atom's pair or padding: give them a valid
                        // neighbor and distance for the gathers, and mask them out.
                        var lanes = Vector128.LessThan(Vector128.Create(0, 1, 2, 3), Vector128.Create(count));
                        valid = Avx2.ConvertToVector256Int64(lanes).AsDouble();
                        j = Vector128.ConditionalSelect(lanes, j, Vector128.Create(J[q]));
                        r = Vector256.ConditionalSelect(valid, r, Vector256<double>.One);
                        dx &= valid; dy &= valid; dz &= valid;
                    }
                    var x = Interval(r, rdr, nr, out var o);
                    var tj = ns == 1 ? Vector128<int>.Zero : Avx2.GatherVector128(types, j, 4);
                    var ia = Function(rhoOf, Vector128.Create(ti * ns), tj, ns);
                    var jb = Function(rhoOf, tj * ns, Vector128.Create(ti), ns);
                    var rhoIp = Derivative(rhoSplines, ia * length + o, x);
                    var rhoJp = ia.Equals(jb) ? rhoIp : Derivative(rhoSplines, jb * length + o, x);
                    var z = Function(pairOf, Vector128.Create(ti * ns), tj, ns) * length + o;
                    var z2p = Derivative(pairSplines, z, x);
                    var z2 = Value(pairSplines, z, x);
                    var recip = Vector256<double>.One / r;
                    var phi = z2 * recip;
                    var phip = z2p * recip - phi * recip;
                    var psip = fpi * rhoJp + Avx2.GatherVector256(fp, j, 8) * rhoIp + phip;
                    var pairEnergy = weight * phi & valid;
                    energy += pairEnergy;
                    var f = weight * psip * recip & valid;
                    Vector256<double> fx = f * dx, fy = f * dy, fz = f * dz;
                    if (forceArray is not null)
                    {
                        fxi += fx; fyi += fy; fzi += fz;
                        PairLanes.SubtractFromNeighbors(forceArray, J + q, count, fx, fy, fz, scratch);
                    }
                    if (wantStress)
                    {
                        xx += fx * dx; yy += fy * dy; zz += fz * dz;
                        yz += fy * dz; xz += fx * dz; xy += fx * dy;
                    }
                    if (atomEnergies is not null)
                    {
                        var half = pairEnergy * 0.5;
                        atomEnergies[i] += Vector256.Sum(half);
                        PairLanes.AddToNeighbors(atomEnergies, J + q, count, half, scratch);
                    }
                }
                if (forceArray is not null)
                {
                    ref var fi = ref forceArray[i];
                    fi.X += Vector256.Sum(fxi); fi.Y += Vector256.Sum(fyi); fi.Z += Vector256.Sum(fzi);
                }
            }
        }
        return new EamSums(embeddingEnergy + Vector256.Sum(energy), Vector256.Sum(xx), Vector256.Sum(yy), Vector256.Sum(zz),
            Vector256.Sum(yz), Vector256.Sum(xz), Vector256.Sum(xy));
    }
}
