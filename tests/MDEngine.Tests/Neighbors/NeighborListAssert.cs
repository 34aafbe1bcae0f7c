using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Tests.Neighbors;

/// <summary>Comparisons of neighbor lists as sets of directed pairs (i, j, shift).</summary>
internal static class NeighborListAssert
{
    public static Dictionary<(int I, int J, int X, int Y, int Z), int> Index(NeighborList list)
    {
        var index = new Dictionary<(int, int, int, int, int), int>(list.Count);
        for (int p = 0; p < list.Count; p++)
        {
            var (x, y, z) = list.Shift(p);
            Assert.True(index.TryAdd((list.I[p], list.J[p], x, y, z), p), $"pair {list.I[p]}→{list.J[p]} ({x},{y},{z}) listed twice");
        }
        return index;
    }

    /// <summary>Same pairs (i, j, shift), same distances and vectors within <paramref name="tolerance"/>.</summary>
    public static void SamePairs(NeighborList expected, NeighborList actual, double tolerance, string label)
    {
        Assert.True(expected.Count == actual.Count, $"{label}: {actual.Count} pairs, expected {expected.Count}");
        var index = Index(actual);
        for (int p = 0; p < expected.Count; p++)
        {
            var (x, y, z) = expected.Shift(p);
            var key = (expected.I[p], expected.J[p], x, y, z);
            Assert.True(index.TryGetValue(key, out int q), $"{label}: pair {key} missing");
            Assert.True(Math.Abs(expected.Distances[p] - actual.Distances[q]) <= tolerance, $"{label}: distance of {key}");
            Assert.True((expected.Vectors[p] - actual.Vectors[q]).Length <= tolerance, $"{label}: vector of {key}");
        }
    }

    /// <summary>The list is grouped by I with consistent offsets, and every vector is r_j + S·cell − r_i for the
    /// structure's own (unwrapped) positions.</summary>
    public static void Consistent(Structure s, NeighborList list, double tolerance)
    {
        Assert.Equal(s.Count + 1, list.Offsets.Length);
        Assert.Equal(0, list.Offsets[0]);
        Assert.Equal(list.Count, list.Offsets[s.Count]);
        for (int i = 0; i < s.Count; i++)
            for (int p = list.Offsets[i]; p < list.Offsets[i + 1]; p++) Assert.Equal(i, list.I[p]);
        var cell = s.Cell.Matrix;
        for (int p = 0; p < list.Count; p++)
        {
            var (x, y, z) = list.Shift(p);
            var v = s.Positions[list.J[p]] + new Vec3(x, y, z) * cell - s.Positions[list.I[p]];
            Assert.True((v - list.Vectors[p]).Length <= tolerance * Math.Max(1, v.Length));
            Assert.True(Math.Abs(list.Distances[p] - list.Vectors[p].Length) <= tolerance);
            Assert.True(list.Distances[p] < list.Radius);
            if (!list.IsFull) Assert.True(BruteForceNeighbors.IsFirstOfPair(list.I[p], list.J[p], x, y, z));
        }
    }
}
