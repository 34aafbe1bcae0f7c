using System.Runtime.CompilerServices;
using System.Buffers;
using MDEngine.Geometry;
using MDEngine.Neighbors;

namespace MDEngine.Potentials;

/// <summary>
/// Race-free accumulation for potentials that scatter contributions onto other atoms: the atoms are split into
/// contiguous chunks of about equal pair counts, each chunk runs on its own thread and adds into its own force,
/// per-atom energy and virial buffers, and the buffers are summed at the end in a fixed order (so results do not
/// depend on thread timing). Chunk 0 writes straight into the result arrays.
/// </summary>
internal sealed class ChunkedAccumulator : IDisposable
{
    public readonly int Chunks;
    public readonly int AtomCount;
    /// <summary>Atom ranges: chunk c owns atoms [Bounds[c], Bounds[c+1]).</summary>
    public readonly int[] Bounds;
    public readonly Vec3[][]? Forces;
    public readonly double[][]? AtomEnergies;
    /// <summary>Per chunk: energy, the virial W_ab = Σ (∂E/∂r_a) r_b as xx yy zz yz xz xy, and the smallest squared
    /// pair distance of the list's pairs the chunk saw (0 when not tracked).</summary>
    public readonly double[] Sums;
    private readonly bool _rented;

    public const int SumStride = 8;

    /// <summary>Records chunk <paramref name="chunk"/>'s energy, virial (xx yy zz yz xz xy) and smallest squared pair
    /// distance in <see cref="Sums"/>: the one place that knows the layout.</summary>
    public void StoreChunk(int chunk, double energy, double xx, double yy, double zz, double yz, double xz, double xy, double minR2 = 0)
    {
        int o = chunk * SumStride;
        Sums[o] = energy;
        Sums[o + 1] = xx; Sums[o + 2] = yy; Sums[o + 3] = zz;
        Sums[o + 4] = yz; Sums[o + 5] = xz; Sums[o + 6] = xy;
        Sums[o + 7] = minR2;
    }

    /// <param name="forceDestination">The array chunk 0 accumulates into (and so the result's forces), cleared here;
    /// null allocates one.</param>
    public ChunkedAccumulator(NeighborList list, bool forces, bool atomEnergies, int? chunks = null, Vec3[]? forceDestination = null)
    {
        AtomCount = list.AtomCount;
        Chunks = chunks ?? PotentialParallelism.ChunksFor(AtomCount);
        Bounds = SplitByPairs(list.Offsets, AtomCount, Chunks);
        Sums = new double[Chunks * SumStride];
        if (forces)
        {
            Forces = new Vec3[Chunks][];
            if (forceDestination is not null) { Array.Clear(forceDestination, 0, AtomCount); Forces[0] = forceDestination; }
            else Forces[0] = new Vec3[AtomCount];
            for (int c = 1; c < Chunks; c++) { Forces[c] = ArrayPool<Vec3>.Shared.Rent(AtomCount); Array.Clear(Forces[c], 0, AtomCount); }
            _rented = Chunks > 1;
        }
        if (atomEnergies)
        {
            AtomEnergies = new double[Chunks][];
            for (int c = 0; c < Chunks; c++) AtomEnergies[c] = new double[AtomCount];
        }
    }

    /// <summary>Splits atoms so that each chunk holds about the same number of pairs.</summary>
    internal static int[] SplitByPairs(int[] offsets, int atoms, int chunks)
    {
        var bounds = new int[chunks + 1];
        bounds[chunks] = atoms;
        long total = offsets[atoms];
        int a = 0;
        for (int c = 1; c < chunks; c++)
        {
            long target = total * c / chunks;
            while (a < atoms && offsets[a] < target) a++;
            bounds[c] = Math.Max(a, bounds[c - 1]);
        }
        return bounds;
    }

    /// <summary>Runs <paramref name="body"/>(chunk, firstAtom, endAtom) for every chunk, in parallel when there are several.</summary>
    public void Run(Action<int, int, int> body)
    {
        if (Chunks == 1) { body(0, Bounds[0], Bounds[1]); return; }
        Parallel.For(0, Chunks, new ParallelOptions { MaxDegreeOfParallelism = Chunks }, c => body(c, Bounds[c], Bounds[c + 1]));
    }

    public double Energy()
    {
        double e = 0;
        for (int c = 0; c < Chunks; c++) e += Sums[c * SumStride];
        return e;
    }

    /// <summary>Stress σ = W/V from the accumulated virial W_ab = Σ_terms (∂E/∂d)_a d_b over the interatomic vectors d
    /// a term depends on: that is (1/V) ∂E/∂ε for a homogeneous strain ε (ASE's sign, negative under compression).</summary>
    public Mat3 Stress(double volume)
    {
        double xx = 0, yy = 0, zz = 0, yz = 0, xz = 0, xy = 0;
        for (int c = 0; c < Chunks; c++)
        {
            int o = c * SumStride;
            xx += Sums[o + 1]; yy += Sums[o + 2]; zz += Sums[o + 3]; yz += Sums[o + 4]; xz += Sums[o + 5]; xy += Sums[o + 6];
        }
        double inv = 1.0 / volume;
        return new Mat3(xx * inv, xy * inv, xz * inv, xy * inv, yy * inv, yz * inv, xz * inv, yz * inv, zz * inv);
    }

    /// <summary>The smallest pair distance over all chunks (from slot 7), or null when no pair was seen.</summary>
    public double? ClosestPairDistance()
    {
        double min = double.PositiveInfinity;
        for (int c = 0; c < Chunks; c++) min = Math.Min(min, Sums[c * SumStride + 7]);
        return double.IsPositiveInfinity(min) ? null : Math.Sqrt(min);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vec3[]? ReduceForces()
    {
        if (Forces is null) return null;
        var total = Forces[0];
        for (int c = 1; c < Chunks; c++)
        {
            var f = Forces[c];
            for (int i = 0; i < AtomCount; i++) total[i] += f[i];
        }
        return total;
    }

    public double[]? ReduceAtomEnergies()
    {
        if (AtomEnergies is null) return null;
        var total = AtomEnergies[0];
        for (int c = 1; c < Chunks; c++)
            for (int i = 0; i < AtomCount; i++) total[i] += AtomEnergies[c][i];
        return total;
    }

    /// <summary>The potential's result from the chunks' sums: energy, forces, stress (σ = W/V, when
    /// <paramref name="wantStress"/>), per-atom energies when accumulated, and the closest pair distance when the
    /// chunks recorded it (<paramref name="tracksClosestPair"/>).</summary>
    public PotentialResult Result(Structures.Structure s, bool wantStress, bool tracksClosestPair) => new()
    {
        Energy = Energy(),
        Forces = ReduceForces(),
        Stress = wantStress ? Stress(s.Volume) : null,
        AtomEnergies = ReduceAtomEnergies(),
        ClosestPairDistance = tracksClosestPair ? ClosestPairDistance() : null,
    };

    public void Dispose()
    {
        if (!_rented || Forces is null) return;
        for (int c = 1; c < Chunks; c++) ArrayPool<Vec3>.Shared.Return(Forces[c]);
    }
}
