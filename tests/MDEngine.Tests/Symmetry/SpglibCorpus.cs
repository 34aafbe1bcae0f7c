using System.Text.Json;
using static MDEngine.Tests.ReferenceData;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Tests.Symmetry;

/// <summary>The spglib reference corpus (tools/reference/symmetry_spglib.py): one entry per structure.</summary>
internal sealed class SpglibCase
{
    public required string Name { get; init; }
    public required int ExpectedNumber { get; init; }
    public required double Symprec { get; init; }
    public required Structure Structure { get; init; }
    public required int Number { get; init; }
    public required int HallNumber { get; init; }
    public required string International { get; init; }
    public required string PointGroup { get; init; }
    public required char[] Wyckoffs { get; init; }
    public required int[] EquivalentAtoms { get; init; }
    public required int OperationCount { get; init; }
    public required Mat3 StdLattice { get; init; }
    public required int[] StdTypes { get; init; }
    public required Vec3[] StdPositions { get; init; }
    public required Mat3 PrimitiveLattice { get; init; }
    public required int[] PrimitiveTypes { get; init; }
    public required Vec3[] PrimitivePositions { get; init; }

    public override string ToString() => $"{Name} #{ExpectedNumber}";
}

internal static class SpglibCorpus
{
    private static readonly Lazy<List<SpglibCase>> Cases = new(Load);
    public static IReadOnlyList<SpglibCase> All => Cases.Value;

    private static List<SpglibCase> Load()
    {
        using var doc = ReferenceData.Load("symmetry", "spglib_corpus.json");
        var list = new List<SpglibCase>();
        foreach (var e in doc.RootElement.GetProperty("structures").EnumerateArray())
        {
            var lattice = Matrix(e.GetProperty("lattice"));
            var positions = Vectors(e.GetProperty("positions"));
            var numbers = e.GetProperty("numbers").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            list.Add(new SpglibCase
            {
                Name = e.GetProperty("name").GetString()!, ExpectedNumber = e.GetProperty("expected_number").GetInt32(),
                Symprec = e.GetProperty("symprec").GetDouble(),
                Structure = Structure.FromFractional(numbers, positions, new Cell(lattice)),
                Number = e.GetProperty("number").GetInt32(), HallNumber = e.GetProperty("hall_number").GetInt32(),
                International = e.GetProperty("international").GetString()!, PointGroup = e.GetProperty("pointgroup").GetString()!,
                Wyckoffs = e.GetProperty("wyckoffs").EnumerateArray().Select(x => x.GetString()![0]).ToArray(),
                EquivalentAtoms = e.GetProperty("equivalent_atoms").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
                OperationCount = e.GetProperty("n_operations").GetInt32(),
                StdLattice = Matrix(e.GetProperty("std_lattice")),
                StdTypes = e.GetProperty("std_types").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
                StdPositions = Vectors(e.GetProperty("std_positions")),
                PrimitiveLattice = Matrix(e.GetProperty("primitive_lattice")),
                PrimitiveTypes = e.GetProperty("primitive_types").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
                PrimitivePositions = Vectors(e.GetProperty("primitive_positions")),
            });
        }
        return list;
    }

}
