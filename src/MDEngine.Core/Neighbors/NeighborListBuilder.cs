using MDEngine.Structures;

namespace MDEngine.Neighbors;

/// <summary>Builds neighbor lists for any cell and periodicity (linked cells, <see cref="LinkedCellNeighbors"/>).</summary>
public static class NeighborListBuilder
{
    /// <summary>All pairs closer than <paramref name="cutoff"/>: both directions when <paramref name="full"/>, else
    /// each pair once; with <paramref name="sorted"/>, ordered by i, then j, then shift.</summary>
    public static NeighborList Build(Structure s, double cutoff, bool full = true, bool sorted = false) =>
        LinkedCellNeighbors.Build(s, cutoff, full, sorted);
}
