using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MDEngine.Geometry;

namespace MDEngine.Potentials.Pair;

/// <summary>
/// Four consecutive pairs p..p+3 of one atom's neighbor-list segment as AVX2 lanes, shared by the vectorized pair
/// loops: the neighbor indices, which lanes hold a pair (an atom's last one to three pairs fill a partial vector
/// whose unused lanes repeat its first pair and must be masked), and the pair vectors d = r_j + S·h − r_i gathered
/// from the positions and the list's table of Cartesian shifts (<see cref="Neighbors.NeighborList.CompactShifts"/>).
/// </summary>
internal readonly unsafe ref struct PairLanes
{
    private static readonly Vector128<int> Lane = Vector128.Create(0, 1, 2, 3);

    public readonly Vector128<int> J;
    /// <summary>How many lanes hold a pair (1..4).</summary>
    public readonly int Count;
    /// <summary>All bits set in the lanes that hold a pair.</summary>
    public readonly Vector256<double> Valid;
    public readonly Vector256<double> Dx, Dy, Dz;

    /// <param name="positions">The positions as x, y, z doubles.</param>
    /// <param name="shiftTable">The table of Cartesian lattice translations as x, y, z doubles.</param>
    /// <param name="shiftCodes">Each pair's index into the table.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PairLanes(double* positions, double* shiftTable, int* shiftCodes, int* neighbors, int p, int pEnd, Vec3 ri)
    {
        Count = Math.Min(4, pEnd - p);
        Vector128<int> code;
        if (Count == 4)
        {
            J = Vector128.Load(neighbors + p);
            code = Vector128.Load(shiftCodes + p);
            Valid = Vector256<double>.AllBitsSet;
        }
        else
        {
            J = Partial(neighbors + p, Count);
            code = Partial(shiftCodes + p, Count);
            Valid = Avx2.ConvertToVector256Int64(Vector128.LessThan(Lane, Vector128.Create(Count))).AsDouble();
        }
        var atomIndex = J * 3;
        var x = Avx2.GatherVector256(positions, atomIndex, 8);
        var y = Avx2.GatherVector256(positions + 1, atomIndex, 8);
        var z = Avx2.GatherVector256(positions + 2, atomIndex, 8);
        // Code 0 is the zero shift: pairs inside the cell (most of them in a large one) skip the table.
        if (code != Vector128<int>.Zero)
        {
            var shiftIndex = code * 3;
            x += Avx2.GatherVector256(shiftTable, shiftIndex, 8);
            y += Avx2.GatherVector256(shiftTable + 1, shiftIndex, 8);
            z += Avx2.GatherVector256(shiftTable + 2, shiftIndex, 8);
        }
        Dx = x - Vector256.Create(ri.X);
        Dy = y - Vector256.Create(ri.Y);
        Dz = z - Vector256.Create(ri.Z);
    }

    /// <summary>The first <paramref name="count"/> (1..3) values, the first repeated in the remaining lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Partial(int* source, int count) => count switch
    {
        1 => Vector128.Create(source[0]),
        2 => Vector128.Create(source[0], source[1], source[0], source[0]),
        _ => Vector128.Create(source[0], source[1], source[2], source[0]),
    };

    /// <summary>|d|², +∞ in the lanes without a pair.</summary>
    public Vector256<double> SquaredLength
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var r2 = Dx * Dx + Dy * Dy + Dz * Dz;
            return Count == 4 ? r2 : Vector256.ConditionalSelect(Valid, r2, Vector256.Create(double.PositiveInfinity));
        }
    }

    /// <summary>forces[neighbors[q]] −= (fx, fy, fz)[q] for the first <paramref name="count"/> lanes, one lane at a
    /// time (two lanes may name the same atom in a small cell, which a vector scatter would get wrong).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SubtractFromNeighbors(Vec3[] forces, int* neighbors, int count, Vector256<double> fx, Vector256<double> fy, Vector256<double> fz, double* scratch)
    {
        fx.Store(scratch); fy.Store(scratch + 4); fz.Store(scratch + 8);
        for (int q = 0; q < count; q++)
        {
            ref var fj = ref forces[neighbors[q]];
            fj.X -= scratch[q]; fj.Y -= scratch[4 + q]; fj.Z -= scratch[8 + q];
        }
    }

    /// <summary>values[neighbors[q]] += v[q] for the first <paramref name="count"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddToNeighbors(double[] values, int* neighbors, int count, Vector256<double> v, double* scratch)
    {
        v.Store(scratch);
        for (int q = 0; q < count; q++) values[neighbors[q]] += scratch[q];
    }
}
