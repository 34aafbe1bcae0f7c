using System.Diagnostics;
using System.Text.Json;
using MDEngine.Structures;
using MDEngine.Symmetry;
using Xunit.Abstractions;

namespace MDEngine.Tests.Symmetry;

/// <summary>The 1,000-atom benchmark structure of docs/benchmarks.md (NaCl 5×5×5 with noise): the result must be
/// spglib's; the time is printed, not asserted.</summary>
public class SymmetryBenchmarkStructureTests(ITestOutputHelper output)
{
    [Fact]
    public void ThousandAtomSupercellIsRockSalt()
    {
        using var doc = ReferenceData.Load("symmetry", "spglib_benchmark.json");
        var root = doc.RootElement;
        var structure = Structure.FromFractional(root.GetProperty("numbers").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            ReferenceData.Vectors(root.GetProperty("positions")), new Cell(ReferenceData.Matrix(root.GetProperty("lattice"))));
        Assert.Equal(1000, structure.Count);
        SymmetryAnalyzer.Analyze(structure, 1e-3); // warm-up (JIT, database)
        var sw = Stopwatch.StartNew();
        var d = SymmetryAnalyzer.Analyze(structure, 1e-3);
        sw.Stop();
        output.WriteLine($"1000 atoms: {sw.Elapsed.TotalMilliseconds:F1} ms; spglib {root.GetProperty("spglib_seconds_min").GetDouble() * 1000:F1} ms");
        Assert.Equal(root.GetProperty("spglib_number").GetInt32(), d.Number);
        Assert.Equal(192 * 125, d.Operations.Count);
        Assert.All(d.Wyckoffs.Select((w, i) => (w, i)), x => Assert.Equal(structure.Numbers[x.i] == 11 ? 'a' : 'b', x.w));
        Assert.Equal(2, d.EquivalentAtoms.Distinct().Count());
    }
}
