using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MDEngine.Geometry;
using MDEngine.Potentials.Pair;

namespace MDEngine.Potentials.Eam;

/// <summary>
/// The EAM density and force passes four pairs at a time (AVX2): the same arithmetic as the scalar passes of
/// <see cref="EmbeddedAtom"/>, with each lane's spline coefficients gathered from the concatenated tables
/// (<see cref="EamTables.ConcatenatedRho"/>) at function · <see cref="EamTables.SplineLength"/> + 7m.
/// Lanes beyond the cutoff (or without a pair) evaluate the first interval and are masked out.
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

    /// <summary>Pass 1: ρ_i += ρ_ji(r), ρ_j += ρ_ij(r), pair distances into <see cref="EamPass.PairR"/>; returns
    /// the smallest squared pair distance seen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Densities(in EamPass pass, double[] rho, int first, int end)
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
        fixed (double* pairR = pass.PairR)
        {
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
                    var r = Vector256.Sqrt(r2 & inside);
                    var stored = Vector256.ConditionalSelect(inside, r, Vector256.Create(-1.0));
                    if (pair.Count == 4) stored.Store(pairR + p);
                    else for (int q = 0; q < pair.Count; q++) pairR[p + q] = stored.GetElement(q);
                    var x = Interval(r, rdr, nr, out var o);
                    var tj = ns == 1 ? Vector128<int>.Zero : Avx2.GatherVector128(types, pair.J, 4);
                    // ρ_ji (j's density at i) and ρ_ij: one function between like species, evaluated once.
                    var ja = Function(rhoOf, tj * ns, Vector128.Create(ti), ns);
                    var ib = Function(rhoOf, Vector128.Create(ti * ns), tj, ns);
                    var rhoJI = Value(rhoSplines, ja * length + o, x) & inside;
                    rhoI += rhoJI;
                    var rhoIJ = ja.Equals(ib) ? rhoJI : Value(rhoSplines, ib * length + o, x) & inside;
                    pair.AddToNeighbors(rho, J, p, weight * rhoIJ, scratch);
                }
                rho[i] += pass.Weight * Vector256.Sum(rhoI);
            }
        }
        double min = double.PositiveInfinity;
        for (int q = 0; q < 4; q++) min = Math.Min(min, minR2.GetElement(q));
        return min;
    }

    /// <summary>Pass 3: embedding and pair energies, and the forces from dE/dr = F'_i ρ'_ji + F'_j ρ'_ij + φ'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static EamSums Forces(in EamPass pass, in EamForceOutput output, int first, int end)
    {
        var t = pass.Tables;
        int ns = t.Species, nr = t.Nr, length = t.SplineLength;
        double rdr = 1.0 / t.Dr;
        var weight = Vector256.Create(pass.Weight);
        var offsets = pass.Offsets;
        var forceArray = output.Forces; var atomEnergies = output.AtomEnergies;
        bool wantStress = output.WantStress;
        double embeddingEnergy = 0;
        Vector256<double> energy = default, xx = default, yy = default, zz = default, yz = default, xz = default, xy = default;
        var scratch = stackalloc double[12];
        fixed (Vec3* positions = pass.Positions)
        fixed (Vec3* shiftTable = pass.ShiftTable)
        fixed (int* shiftCodes = pass.ShiftCodes)
        fixed (int* J = pass.J)
        fixed (int* types = pass.Types)
        fixed (int* rhoOf = t.RhoOf)
        fixed (int* pairOf = t.PairOf)
        fixed (double* rhoSplines = t.ConcatenatedRho)
        fixed (double* pairSplines = t.ConcatenatedPair)
        fixed (double* pairR = pass.PairR)
        fixed (double* fp = output.EmbeddingDerivative)
        {
            for (int i = first; i < end; i++)
            {
                embeddingEnergy += output.Embedding[i];
                if (atomEnergies is not null) atomEnergies[i] += output.Embedding[i];
                var ri = positions[i];
                int ti = types[i];
                var fpi = Vector256.Create(fp[i]);
                Vector256<double> fxi = default, fyi = default, fzi = default;
                int pEnd = offsets[i + 1];
                for (int p = offsets[i]; p < pEnd; p += 4)
                {
                    var pair = new PairLanes((double*)positions, (double*)shiftTable, shiftCodes, J, p, pEnd, ri);
                    Vector256<double> stored;
                    if (pair.Count == 4) stored = Vector256.Load(pairR + p);
                    else
                    {
                        // Lanes without a pair read as beyond the cutoff.
                        for (int q = 0; q < 4; q++) scratch[q] = q < pair.Count ? pairR[p + q] : -1.0;
                        stored = Vector256.Load(scratch);
                    }
                    var inside = Vector256.GreaterThanOrEqual(stored, Vector256<double>.Zero);
                    if (inside.ExtractMostSignificantBits() == 0) continue;
                    // Lanes beyond the cutoff take r = 1 (any finite distance) and are masked below.
                    var r = Vector256.ConditionalSelect(inside, stored, Vector256<double>.One);
                    var x = Interval(r, rdr, nr, out var o);
                    var tj = ns == 1 ? Vector128<int>.Zero : Avx2.GatherVector128(types, pair.J, 4);
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
                    var psip = fpi * rhoJp + Avx2.GatherVector256(fp, pair.J, 8) * rhoIp + phip;
                    var pairEnergy = weight * phi & inside;
                    energy += pairEnergy;
                    var f = weight * psip * recip & inside;
                    Vector256<double> fx = f * pair.Dx, fy = f * pair.Dy, fz = f * pair.Dz;
                    if (forceArray is not null)
                    {
                        fxi += fx; fyi += fy; fzi += fz;
                        pair.SubtractFromNeighbors(forceArray, J, p, fx, fy, fz, scratch);
                    }
                    if (wantStress)
                    {
                        xx += fx * pair.Dx; yy += fy * pair.Dy; zz += fz * pair.Dz;
                        yz += fy * pair.Dz; xz += fx * pair.Dz; xy += fx * pair.Dy;
                    }
                    if (atomEnergies is not null)
                    {
                        var half = pairEnergy * 0.5;
                        atomEnergies[i] += Vector256.Sum(half);
                        pair.AddToNeighbors(atomEnergies, J, p, half, scratch);
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
