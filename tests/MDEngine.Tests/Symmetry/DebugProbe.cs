using MDEngine.Symmetry;
using Xunit.Abstractions;
namespace MDEngine.Tests.Symmetry;
public class DebugProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var name = Environment.GetEnvironmentVariable("PROBE_NAME") ?? "supercell";
        int n = int.Parse(Environment.GetEnvironmentVariable("PROBE_NUMBER") ?? "75");
        var c = SpglibCorpus.All.First(x => x.Name == name && x.ExpectedNumber == n);
        var d = SymmetryAnalyzer.Analyze(c.Structure, c.Symprec);
        output.WriteLine($"mine {d.Number} {d.HallNumber} ops {d.Operations.Count} spglib ops {c.OperationCount}");
        output.WriteLine("eq mine   " + string.Join(",", d.EquivalentAtoms));
        output.WriteLine("eq spglib " + string.Join(",", c.EquivalentAtoms));
        output.WriteLine("wy mine   " + new string(d.Wyckoffs));
        output.WriteLine("wy spglib " + new string(c.Wyckoffs));
        output.WriteLine("P " + d.TransformationMatrix + " o " + d.OriginShift);
        output.WriteLine("conv " + d.Conventional.Cell.Parameters() + " n=" + d.Conventional.Count);
        output.WriteLine("spglib std " + new MDEngine.Structures.Cell(c.StdLattice).Parameters() + " n=" + c.StdTypes.Length);
        var f = d.Conventional.FractionalPositions();
        for (int i = 0; i < f.Length; i++) output.WriteLine($"mine {d.Conventional.Numbers[i]} {f[i]} {d.ConventionalWyckoffs[i]}");
        for (int i = 0; i < c.StdTypes.Length; i++) output.WriteLine($"spglib {c.StdTypes[i]} {c.StdPositions[i]}");
        output.WriteLine("mapping " + string.Join(",", d.MappingToPrimitive));
    }
}
