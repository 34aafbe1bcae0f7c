using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Tests.IO;

/// <summary>The example files in structures/ (written by tools/reference/example_structures.py) read as described.</summary>
public class ExampleStructuresTests
{
    private static string ExamplePath(string name) => RepositoryFiles.Find(Path.Combine("structures", name));

    [Fact]
    public void CopperWithAVacancy()
    {
        var s = StructureFile.ReadFrame(ExamplePath("Cu_vacancy.extxyz"));
        Assert.Equal(107, s.Count);
        Assert.Equal("Cu107", s.Formula);
        Assert.Equal(Cell.Cubic(3 * 3.615), s.Cell);
        Assert.True(s.Pbc.AllPeriodic);
        // Rattled by 0.02 Å (normal): every atom within 0.1 Å of an fcc site, and the site (0,0,0) empty.
        var fractional = s.FractionalPositions();
        int nearOrigin = 0;
        foreach (var f in fractional)
        {
            var site = new[] { f.X, f.Y, f.Z }.Select(x => Math.Round(x * 6) / 6).ToArray();
            var d = s.Cell.ToCartesian(new Geometry.Vec3(f.X - site[0], f.Y - site[1], f.Z - site[2]));
            Assert.True(d.Length < 0.1, $"atom {d.Length} Å from its site");
            if (site.All(x => x == 0 || x == 1)) nearOrigin++;
        }
        Assert.Equal(0, nearOrigin);
    }

    [Fact]
    public void SiliconDiamondFromSymmetry()
    {
        var s = StructureFile.ReadFrame(ExamplePath("Si_diamond.cif"));
        Assert.Equal("Si8", s.Formula);
        Assert.Equal(5.431, s.Cell.Parameters().A, 12);
        // Nearest neighbours at a·√3/4 = 2.3517 Å, four of them for each atom.
        for (int i = 0; i < s.Count; i++)
        {
            int close = 0;
            for (int j = 0; j < s.Count; j++)
                for (int x = -1; x <= 1; x++) for (int y = -1; y <= 1; y++) for (int z = -1; z <= 1; z++)
                {
                    var d = s.Positions[j] + s.Cell.ToCartesian(new Geometry.Vec3(x, y, z)) - s.Positions[i];
                    if (Math.Abs(d.Length - 5.431 * Math.Sqrt(3) / 4) < 1e-9) close++;
                }
            Assert.Equal(4, close);
        }
    }

    [Fact]
    public void AluminiumPoscar()
    {
        var s = StructureFile.ReadFrame(ExamplePath("Al_fcc.vasp"));
        Assert.Equal("Al4", s.Formula);
        Assert.Equal(4.05 * 4.05 * 4.05, s.Volume, 9);
        Assert.Equal(new Geometry.Vec3(2.025, 0, 2.025), s.Positions[2]);
    }
}
