using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Tests.Neighbors;

/// <summary>The neighbor lists against ASE's <c>neighbor_list('ijSd', atoms, cutoff)</c> on varied structures
/// (data from tools/reference/neighbors_ase.py).</summary>
public class AseNeighborListTests
{
    public sealed record AseCase(string Name, int[] Numbers, double[][] Positions, double[][] Cell, bool[] Pbc, double Cutoff,
        int[] I, int[] J, int[][] S, double[] D)
    {
        public override string ToString() => Name;

        public Structure ToStructure() => new(Numbers, Positions.Select(p => new Vec3(p[0], p[1], p[2])).ToArray(),
            new Cell(Mat3.FromRows(V(Cell[0]), V(Cell[1]), V(Cell[2]))), new Pbc(Pbc[0], Pbc[1], Pbc[2]));

        private static Vec3 V(double[] x) => new(x[0], x[1], x[2]);
    }

    private sealed record AseFile(string Generator, AseCase[] Cases);

    private static readonly Lazy<AseCase[]> Cases = new(() =>
    {
        var path = ReferenceData.PathOf("neighbors", "ase_neighbors.json");
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return JsonSerializer.Deserialize<AseFile>(File.ReadAllText(path), options)!.Cases;
    });

    public static TheoryData<string> CaseNames() => new(Cases.Value.Select(c => c.Name));

    private static AseCase Case(string name) => Cases.Value.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FullListEqualsAse(string name)
    {
        var c = Case(name);
        var s = c.ToStructure();
        var list = NeighborListBuilder.Build(s, c.Cutoff, full: true);
        Assert.Equal(c.I.Length, list.Count);
        var index = NeighborListAssert.Index(list);
        for (int p = 0; p < c.I.Length; p++)
        {
            var key = (c.I[p], c.J[p], c.S[p][0], c.S[p][1], c.S[p][2]);
            Assert.True(index.TryGetValue(key, out int q), $"{name}: ASE pair {key} missing");
            Assert.True(Math.Abs(c.D[p] - list.Distances[q]) < 1e-10, $"{name}: distance of {key}: {list.Distances[q]} vs ASE {c.D[p]}");
        }
        NeighborListAssert.Consistent(s, list, 1e-10);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void HalfListIsHalfOfAse(string name)
    {
        var c = Case(name);
        var list = NeighborListBuilder.Build(c.ToStructure(), c.Cutoff, full: false, sorted: true);
        Assert.Equal(c.I.Length, 2 * list.Count);
        var ase = new HashSet<(int, int, int, int, int)>(Enumerable.Range(0, c.I.Length).Select(p => (c.I[p], c.J[p], c.S[p][0], c.S[p][1], c.S[p][2])));
        for (int p = 0; p < list.Count; p++)
        {
            var (x, y, z) = list.Shift(p);
            Assert.Contains((list.I[p], list.J[p], x, y, z), ase);
        }
    }

    [Fact]
    public void ReferenceCoversTheIntendedGeometries()
    {
        // Guards against a regenerated file that silently lost the hard cases.
        Assert.True(Cases.Value.Length >= 10);
        Assert.Contains(Cases.Value, c => c.I.Zip(c.J).Any(p => p.First == p.Second)); // an atom meets its own image
        Assert.Contains(Cases.Value, c => !c.Pbc.Any(p => p));
        Assert.Contains(Cases.Value, c => c.Pbc.Count(p => p) == 1);
    }
}
