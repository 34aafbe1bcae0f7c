using MDEngine.Structures;

namespace MDEngine.Neighbors;

/// <summary>Builds neighbor lists for any cell and periodicity.</summary>
public static class NeighborListBuilder
{
    public static NeighborList Build(Structure s, double cutoff, bool full = true, bool sorted = false)
    {
        var list = BruteForceNeighbors.Build(s, cutoff, full);
        if (sorted) list.SortDeterministically();
        return list;
    }
}
