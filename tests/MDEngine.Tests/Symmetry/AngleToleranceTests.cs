using System.Text.Json;
using MDEngine.Structures;
using MDEngine.Symmetry;
using Xunit.Abstractions;

namespace MDEngine.Tests.Symmetry;

/// <summary>Cells with angles a few tenths of a degree off, analysed with and without an angle tolerance, against
/// spglib (spglib_angle.json from tools/reference/symmetry_spglib.py).</summary>
public class AngleToleranceTests(ITestOutputHelper output)
{
    [Fact]
    public void SpaceGroupsMatchSpglibWithAndWithoutAngleTolerance()
    {
        using var doc = ReferenceData.Load("symmetry", "spglib_angle.json");
        var failures = new List<string>();
        int k = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var s = Structure.FromFractional(c.GetProperty("numbers").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
                ReferenceData.Vectors(c.GetProperty("positions")), new Cell(ReferenceData.Matrix(c.GetProperty("lattice"))));
            double symprec = c.GetProperty("symprec").GetDouble(), angle = c.GetProperty("angle_tolerance").GetDouble();
            var d = SymmetryAnalyzer.Analyze(s, symprec, angle);
            int number = c.GetProperty("number").GetInt32(), hall = c.GetProperty("hall_number").GetInt32();
            var eq = c.GetProperty("equivalent_atoms").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            string line = $"case {k++}: symprec {symprec} angle {angle}: found {d.Number} (hall {d.HallNumber}), spglib {number} (hall {hall})";
            output.WriteLine(line);
            if (d.Number != number || d.HallNumber != hall || !d.EquivalentAtoms.SequenceEqual(eq)) failures.Add(line);
        }
        Assert.Empty(failures);
    }
}
