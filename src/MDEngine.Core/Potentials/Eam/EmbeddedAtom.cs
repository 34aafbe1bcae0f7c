using System.Runtime.CompilerServices;
using System.Buffers;
using System.Runtime.Intrinsics.X86;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials.Pair;
using MDEngine.Structures;

namespace MDEngine.Potentials.Eam;

/// <summary>
/// The embedded-atom method (Daw and Baskes, PRB 29, 6443 (1984)): E = Σ_i F_i(ρ_i) + Σ_{i&lt;j} φ_ij(r_ij) with the
/// host density ρ_i = Σ_j ρ_ji(r_ij), read from LAMMPS's tabulated formats (funcfl <c>.eam</c>, setfl
/// <c>.eam.alloy</c>, Finnis–Sinclair <c>.eam.fs</c>) and interpolated exactly as LAMMPS interpolates them.
/// Half neighbor list; three passes (densities, threaded; embedding; pair forces, threaded), the threaded ones four
/// pairs at a time where AVX2 is available (<see cref="EamVectorPasses"/>).
/// </summary>
public sealed class EmbeddedAtom : Potential
{
    private readonly EamTables _t;
    private readonly SpeciesMap _species;
    private readonly string _name;

    private EmbeddedAtom(EamTables tables, IReadOnlyList<int> numbers, IReadOnlyList<double> masses, string name)
    {
        _t = tables; _species = new SpeciesMap(numbers); _name = name;
        Masses = numbers.Zip(masses).ToDictionary(p => p.First, p => p.Second);
    }

    /// <summary>Reads a potential file, its format from the extension (<c>.eam</c>, <c>.eam.alloy</c>, <c>.eam.fs</c>).</summary>
    public static EmbeddedAtom Read(string path)
    {
        string lower = path.ToLowerInvariant();
        if (lower.EndsWith(".eam.alloy") || lower.EndsWith(".eam.fs")) return FromSetfl(SetflFile.Read(path, lower.EndsWith(".eam.fs")), path);
        if (lower.EndsWith(".eam")) return FromFuncfl([FuncflFile.Read(path)], path);
        throw new IO.InputException(path, null, "not an EAM file (expected .eam, .eam.alloy or .eam.fs)");
    }

    /// <summary>One or more funcfl files, one element each (LAMMPS: <c>pair_style eam</c> with one pair_coeff per type).</summary>
    public static EmbeddedAtom FromFuncfl(IReadOnlyList<FuncflFile> files, string name)
    {
        if (files.Select(f => f.AtomicNumber).Distinct().Count() != files.Count) throw new ArgumentException("Two funcfl files for the same element.");
        return new EmbeddedAtom(EamTables.FromFuncfl(files), files.Select(f => f.AtomicNumber).ToArray(), files.Select(f => f.Mass).ToArray(), name);
    }

    public static EmbeddedAtom FromSetfl(SetflFile file, string name) =>
        new(EamTables.FromSetfl(file), file.AtomicNumbers, file.Masses, name);

    public override string Name => _name;
    public override double Cutoff => _t.Cutoff;
    public override IReadOnlySet<int>? Elements => _species.Elements;
    /// <summary>Masses (amu) the file gives for its elements.</summary>
    public IReadOnlyDictionary<int, double> Masses { get; }

    public override void Compute(PotentialBatch batch) => batch.ComputeEach(ComputeCore);

    /// <summary>Whether the density and force passes run four pairs at a time where AVX2 is available (a switch for
    /// tests of the scalar passes).</summary>
    internal static bool UseVectorizedPasses = Avx2.IsSupported;

    private PotentialResult ComputeCore(Structure s, NeighborList list, Quantities what, Vec3[]? forceDestination)
    {
        int n = s.Count;
        bool wantForces = what.HasFlag(Quantities.Forces);
        bool wantStress = what.HasFlag(Quantities.Stress);
        bool wantAtomEnergies = what.HasFlag(Quantities.AtomEnergies);
        if (s.Positions.Length != list.AtomCount) throw new ArgumentException($"{s.Positions.Length} atoms for a neighbor list of {list.AtomCount}.");
        using var acc = new ChunkedAccumulator(list, wantForces, wantAtomEnergies, forceDestination: forceDestination);
        int chunks = acc.Chunks;
        bool vectorized = UseVectorizedPasses;
        // Pair vectors d = r_j + S·h − r_i from the current positions: pass 1 tests r² against the cutoff (pairs in the
        // list's skin cost no square root) and keeps r for pass 3: the scalar pass marks pairs beyond the cutoff with
        // −1 in pairR, the vectorized one packs the pairs within it.
        var pairR = vectorized ? [] : ArrayPool<double>.Shared.Rent(Math.Max(1, list.Count));
        var (shiftCodes, shiftTable) = list.CompactShifts(s.Cell.Matrix);
        var pass = new EamPass(_t, _species.TypesOf(s, Name), s.Positions, shiftCodes, shiftTable, list.J, list.Offsets,
            pairR, list.IsFull ? 0.5 : 1.0);
        var minR2Parts = new double[chunks];
        var packed = vectorized
            ? Enumerable.Range(0, chunks).Select(c => new PackedPairs(acc.Bounds[c], acc.Bounds[c + 1] - acc.Bounds[c],
                list.Offsets[acc.Bounds[c + 1]] - list.Offsets[acc.Bounds[c]])).ToArray()
            : null;

        // Pass 1: host densities. Each chunk scatters into its own array; chunk 0's is the result.
        // Per-atom scratch (densities, F and F′) is pooled: an MD step allocates none of it.
        var rhoParts = new double[chunks][];
        var fp = ArrayPool<double>.Shared.Rent(n);
        var embedding = ArrayPool<double>.Shared.Rent(n);
        for (int c = 0; c < chunks; c++) { rhoParts[c] = ArrayPool<double>.Shared.Rent(n); Array.Clear(rhoParts[c], 0, n); }
        try
        {
            acc.Run((c, first, end) => minR2Parts[c] = vectorized
                ? EamVectorPasses.Densities(pass, rhoParts[c], first, end, packed![c])
                : Densities(pass, rhoParts[c], first, end));
            var rhoTotal = rhoParts[0];
            for (int c = 1; c < chunks; c++) for (int i = 0; i < n; i++) rhoTotal[i] += rhoParts[c][i];
            Embedding(pass.Types, rhoTotal, fp, embedding, n);

            // Pass 3: pair energy and all forces.
            acc.Run((c, first, end) =>
            {
                var output = new EamForceOutput(fp, embedding, acc.Forces?[c], acc.AtomEnergies?[c], wantStress);
                var sums = vectorized ? EamVectorPasses.Forces(pass, output, first, end, packed![c]) : Forces(pass, output, first, end);
                acc.StoreChunk(c, sums.Energy, sums.XX, sums.YY, sums.ZZ, sums.YZ, sums.XZ, sums.XY, minR2Parts[c]);
            });
        }
        finally
        {
            for (int c = 0; c < chunks; c++) ArrayPool<double>.Shared.Return(rhoParts[c]);
            ArrayPool<double>.Shared.Return(fp);
            ArrayPool<double>.Shared.Return(embedding);
            if (!vectorized) ArrayPool<double>.Shared.Return(pairR);
            if (packed is not null) foreach (var p in packed) p.Dispose();
        }
        return acc.Result(s, wantStress, tracksClosestPair: true);
    }

    /// <summary>Pass 1 for atoms [first, end): ρ_i += ρ_ji(r), ρ_j += ρ_ij(r) into <paramref name="rho"/>; returns
    /// the smallest squared pair distance seen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Densities(in EamPass pass, double[] rho, int first, int end)
    {
        var t = pass.Tables;
        int ns = t.Species, nr = t.Nr;
        double rdr = 1.0 / t.Dr, cutSq = t.Cutoff * t.Cutoff, weight = pass.Weight;
        var rhoSplines = t.RhoSplines; var rhoOf = t.RhoOf;
        var types = pass.Types; var positions = pass.Positions; var shiftCodes = pass.ShiftCodes; var shiftTable = pass.ShiftTable;
        var J = pass.J; var offsets = pass.Offsets; var pairR = pass.PairR;
        double minR2 = double.PositiveInfinity;
        for (int i = first; i < end; i++)
        {
            int ti = types[i];
            var ri = positions[i];
            double rhoI = 0;
            for (int p = offsets[i]; p < offsets[i + 1]; p++)
            {
                int j = J[p];
                var rj = positions[j];
                var sv = shiftTable[shiftCodes[p]];
                double dx = rj.X + sv.X - ri.X, dy = rj.Y + sv.Y - ri.Y, dz = rj.Z + sv.Z - ri.Z;
                double r2 = dx * dx + dy * dy + dz * dz;
                if (r2 < minR2) minR2 = r2;
                if (r2 >= cutSq) { pairR[p] = -1; continue; }
                double r = Math.Sqrt(r2);
                pairR[p] = r;
                int tj = types[j];
                double x = r * rdr + 1.0;
                int m = Math.Min((int)x, nr - 1);
                x = Math.Min(x - m, 1.0);
                int o = m * EamSpline.Stride;
                // ρ_ji (j's density at i) and ρ_ij: the same spline between like species, evaluated once.
                int ja = rhoOf[tj * ns + ti], ib = rhoOf[ti * ns + tj];
                var a = rhoSplines[ja];
                double rhoJI = ((a[o + 3] * x + a[o + 4]) * x + a[o + 5]) * x + a[o + 6];
                rhoI += rhoJI;
                if (ib != ja) { var b = rhoSplines[ib]; rhoJI = ((b[o + 3] * x + b[o + 4]) * x + b[o + 5]) * x + b[o + 6]; }
                rho[j] += weight * rhoJI;
            }
            rho[i] += weight * rhoI;
        }
        return minR2;
    }

    /// <summary>Pass 2: F(ρ) and F'(ρ); beyond the table F continues linearly with the slope at its end (LAMMPS).</summary>
    private void Embedding(int[] types, double[] rho, double[] fp, double[] embedding, int n)
    {
        double rdrho = 1.0 / _t.Drho, rhoMax = _t.RhoMax;
        int nrho = _t.Nrho;
        var fSplines = _t.FSplines;
        for (int i = 0; i < n; i++)
        {
            double x = rho[i] * rdrho + 1.0;
            int m = Math.Max(1, Math.Min((int)x, nrho - 1));
            x = Math.Min(x - m, 1.0);
            var a = fSplines[types[i]];
            int o = m * EamSpline.Stride;
            fp[i] = (a[o] * x + a[o + 1]) * x + a[o + 2];
            double f = ((a[o + 3] * x + a[o + 4]) * x + a[o + 5]) * x + a[o + 6];
            if (rho[i] > rhoMax) f += fp[i] * (rho[i] - rhoMax);
            embedding[i] = f;
        }
    }

    /// <summary>Pass 3 for atoms [first, end): embedding and pair energies, and the forces from
    /// dE/dr = F'_i ρ'_ji + F'_j ρ'_ij + φ'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static EamSums Forces(in EamPass pass, in EamForceOutput output, int first, int end)
    {
        var t = pass.Tables;
        int ns = t.Species, nr = t.Nr;
        double rdr = 1.0 / t.Dr, weight = pass.Weight;
        var rhoSplines = t.RhoSplines; var pairSplines = t.PairSplines; var rhoOf = t.RhoOf; var pairOf = t.PairOf;
        var types = pass.Types; var positions = pass.Positions; var shiftCodes = pass.ShiftCodes; var shiftTable = pass.ShiftTable;
        var J = pass.J; var offsets = pass.Offsets; var pairR = pass.PairR;
        var fp = output.EmbeddingDerivative; var embedding = output.Embedding;
        var forces = output.Forces; var atomEnergies = output.AtomEnergies;
        bool wantStress = output.WantStress;
        double energy = 0;
        var sum = new PairForceSum();
        for (int i = first; i < end; i++)
        {
            energy += embedding[i];
            if (atomEnergies is not null) atomEnergies[i] += embedding[i];
            int ti = types[i];
            var ri = positions[i];
            double fpi = fp[i];
            for (int p = offsets[i]; p < offsets[i + 1]; p++)
            {
                double r = pairR[p];
                if (r < 0) continue;
                int j = J[p];
                var rj = positions[j];
                var sv = shiftTable[shiftCodes[p]];
                double dx = rj.X + sv.X - ri.X, dy = rj.Y + sv.Y - ri.Y, dz = rj.Z + sv.Z - ri.Z;
                int tj = types[j];
                double x = r * rdr + 1.0;
                int m = Math.Min((int)x, nr - 1);
                x = Math.Min(x - m, 1.0);
                int o = m * EamSpline.Stride;
                int ia = rhoOf[ti * ns + tj], jb = rhoOf[tj * ns + ti];
                var a = rhoSplines[ia];
                double rhoIp = (a[o] * x + a[o + 1]) * x + a[o + 2];
                double rhoJp = rhoIp;
                if (jb != ia) { var b = rhoSplines[jb]; rhoJp = (b[o] * x + b[o + 1]) * x + b[o + 2]; }
                var z = pairSplines[pairOf[ti * ns + tj]];
                double z2p = (z[o] * x + z[o + 1]) * x + z[o + 2];
                double z2 = ((z[o + 3] * x + z[o + 4]) * x + z[o + 5]) * x + z[o + 6];
                double recip = 1.0 / r;
                double phi = z2 * recip;
                double phip = z2p * recip - phi * recip;
                double psip = fpi * rhoJp + fp[j] * rhoIp + phip;
                energy += weight * phi;
                if (atomEnergies is not null) { atomEnergies[i] += 0.5 * weight * phi; atomEnergies[j] += 0.5 * weight * phi; }
                sum.Add(weight * psip * recip, dx, dy, dz, forces, j, wantStress);
            }
            sum.EndAtom(forces, i);
        }
        return new EamSums(energy, sum.XX, sum.YY, sum.ZZ, sum.YZ, sum.XZ, sum.XY);
    }
}

/// <summary>What the density and force passes read: the tables, each atom's species index, the current geometry,
/// the list (shifts as <see cref="NeighborList.CompactShifts"/> gives them), the pair distances of pass 1 (−1 beyond the cutoff) and the weight of a pair (½ in a full list).</summary>
internal readonly record struct EamPass(EamTables Tables, int[] Types, Vec3[] Positions, int[] ShiftCodes, Vec3[] ShiftTable, int[] J, int[] Offsets,
    double[] PairR, double Weight);

/// <summary>Pass 3's inputs from pass 2 (F'(ρ) and F(ρ) per atom) and a chunk's own output buffers (null when not wanted).</summary>
internal readonly record struct EamForceOutput(double[] EmbeddingDerivative, double[] Embedding, Vec3[]? Forces, double[]? AtomEnergies, bool WantStress);

/// <summary>A chunk's energy and virial (xx yy zz yz xz xy).</summary>
internal readonly record struct EamSums(double Energy, double XX, double YY, double ZZ, double YZ, double XZ, double XY);
