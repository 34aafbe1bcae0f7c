using System.Buffers;

namespace MDEngine.Potentials.Eam;

/// <summary>
/// The pairs of one chunk of atoms that lie within the cutoff, packed by the vectorized density pass: neighbor index,
/// distance and pair vector, atom by atom. The force pass then runs on full vectors of pairs that all count, with
/// no positions to gather again (in a Verlet list about 40 % of the listed pairs lie in the skin). Arrays are pooled
/// and padded by four entries, so that a vector store of four lanes may run past the last pair.
/// </summary>
internal sealed class PackedPairs : IDisposable
{
    public const int Padding = 4;
    public readonly int First;
    public int[] J { get; }
    public double[] R { get; }
    public double[] Dx { get; }
    public double[] Dy { get; }
    public double[] Dz { get; }
    /// <summary>Atom First + k's pairs end at <c>End[k]</c> (and start where atom First + k − 1's end).</summary>
    public int[] End { get; }

    public PackedPairs(int first, int atoms, int listedPairs)
    {
        First = first;
        int capacity = listedPairs + Padding;
        J = ArrayPool<int>.Shared.Rent(capacity);
        R = ArrayPool<double>.Shared.Rent(capacity);
        Dx = ArrayPool<double>.Shared.Rent(capacity);
        Dy = ArrayPool<double>.Shared.Rent(capacity);
        Dz = ArrayPool<double>.Shared.Rent(capacity);
        End = ArrayPool<int>.Shared.Rent(Math.Max(1, atoms));
    }

    public int StartOf(int atom) => atom == First ? 0 : End[atom - First - 1];

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(J);
        ArrayPool<double>.Shared.Return(R);
        ArrayPool<double>.Shared.Return(Dx);
        ArrayPool<double>.Shared.Return(Dy);
        ArrayPool<double>.Shared.Return(Dz);
        ArrayPool<int>.Shared.Return(End);
    }
}
