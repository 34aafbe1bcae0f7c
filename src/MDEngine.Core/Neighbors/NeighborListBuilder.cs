using MDEngine.Structures;

namespace MDEngine.Neighbors;

/// <summary>Builds neighbor lists for any cell and periodicity (linked cells, <see cref="LinkedCellNeighbors"/>).</summary>
public static class NeighborListBuilder
{
    /// <summary>All pairs closer than <paramref name="cutoff"/>: both directions when <paramref name="full"/>, else
    /// each pair once; with <paramref name="sorted"/>, ordered by i, then j, then shift.</summary>
    public static NeighborList Build(Structure s, double cutoff, bool full = true, bool sorted = false) =>
        LinkedCellNeighbors.Build(s, cutoff, full, sorted);

    /// <summary>As <see cref="Build"/>, but the pair vectors and distances are computed only when first read
    /// (<see cref="NeighborList.DeferGeometryUpdate"/>): for Verlet lists, whose pair kernels compute them from the
    /// positions. It uses at most <see cref="Potentials.PotentialParallelism.MaxThreads"/> threads, as the potentials do,
    /// so that a one-thread MD run is single-threaded throughout.
    /// <paramref name="reuse"/> is an earlier list to rebuild in place (its arrays reused) when it fits.</summary>
    internal static NeighborList BuildDeferred(Structure s, double cutoff, bool full, NeighborList? reuse = null) =>
        LinkedCellNeighbors.Build(s, cutoff, full, sorted: false, threads: Potentials.PotentialParallelism.MaxThreads, divisions: 1, withGeometry: false, reuse);
}
