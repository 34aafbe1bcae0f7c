using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Tests.IO;

public class PoscarTests
{
    [Theory]
    [InlineData("POSCAR_direct")]
    [InlineData("POSCAR_cartesian")]
    [InlineData("POSCAR_vasp4")]
    [InlineData("POSCAR_selective")]
    public void ReadsAseWrittenPoscarsAsAse(string name)
    {
        var s = StructureFile.ReadFrame(IoReference.PathOf(name));
        var expected = IoReference.Frames(name)[0];
        IoReference.AssertMatches(expected, s, 1e-12);
        var free = expected.GetProperty("selective_free").EnumerateArray().Select(x => x.GetBoolean()).ToArray();
        if (name == "POSCAR_selective") Assert.Equal(free, s.Arrays[PoscarReader.SelectiveDynamicsKey].Data);
        else Assert.False(s.Arrays.ContainsKey(PoscarReader.SelectiveDynamicsKey));
    }

    [Fact]
    public void WriterRoundTripsPositionsFlagsAndVelocities()
    {
        var s = StructureFile.ReadFrame(IoReference.PathOf("POSCAR_selective"));
        s.Velocities = Enumerable.Range(0, s.Count).Select(i => new Vec3(0.01 * i, -0.002 / 3, 1e-5 * Math.PI)).ToArray();
        var text = new StringWriter();
        PoscarWriter.Write(text, s);
        var back = PoscarReader.Read(new StringReader(text.ToString()), "POSCAR");
        Assert.Equal(s.Numbers, back.Numbers);
        // Written for people (within 1e-14 of the values), so equal to 1e-13.
        IoReference.AssertClose(Structures.Structure.FromVec3(s.Positions), Structures.Structure.FromVec3(back.Positions), 1e-13, "positions");
        IoReference.AssertClose(s.Cell.Matrix.ToArray(), back.Cell.Matrix.ToArray(), 1e-13, "cell");
        IoReference.AssertClose(Structures.Structure.FromVec3(s.Velocities!), Structures.Structure.FromVec3(back.Velocities!), 1e-13, "velocities");
        Assert.Equal(s.Arrays[PoscarReader.SelectiveDynamicsKey].Data, back.Arrays[PoscarReader.SelectiveDynamicsKey].Data);
    }

    [Fact]
    public void NegativeScaleIsTheVolumeAndVelocitiesMayBeDirect()
    {
        const string text = "cubic\n-64\n1 0 0\n0 1 0\n0 0 1\nAl\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n\nDirect\n0.1 0 0\n0 0 0.2\n";
        var s = PoscarReader.Read(new StringReader(text), "POSCAR");
        Assert.Equal(64, s.Volume, 12);
        Assert.Equal(new Vec3(2, 2, 2), s.Positions[1]);
        Assert.Equal(new Vec3(0.4, 0, 0), s.Velocities![0]);
        Assert.Equal(new Vec3(0, 0, 0.8), s.Velocities![1]);
    }

    [Fact]
    public void Vasp4SpeciesCanBeGiven()
    {
        const string text = "no species here\n1.0\n3 0 0\n0 3 0\n0 0 3\n1 1\nCartesian\n0 0 0\n1.5 1.5 1.5\n";
        var e = Assert.Throws<InputException>(() => PoscarReader.Read(new StringReader(text), "POSCAR"));
        Assert.Equal(6, e.Line);
        Assert.Contains("VASP 4 file without a species line", e.Message);
        var s = PoscarReader.Read(new StringReader(text), "POSCAR", new PoscarReadOptions(["Cs", "Cl"]));
        Assert.Equal("ClCs", s.Formula);
    }

    [Theory]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n", 5, "the file ends where lattice vector 3 should be")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n1 1 0\nH\n1\nDirect\n0 0 0\n", 5, "singular cell")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nXy\n1\nDirect\n0 0 0\n", 6, "unknown element 'Xy'")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nH\n-1\nDirect\n0 0 0\n", 7, "negative atom count -1")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nH He\n1\nDirect\n0 0 0\n", 7, "1 counts for 2 species")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nH He\n2000000000 2000000000\nDirect\n0 0 0\n", 7, "more than 100000000 atoms")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nH\n2\nDirect\n0 0 0\n", 10, "the position of atom 2 of 2")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nH\n1\nDirect\n0 0\n", 9, "2 columns, expected 3")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nH\n1\nDirect\n0 NaN 0\n", 9, "not a finite number")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nH\n1\nSelective dynamics\nDirect\n0 0 0 T X T\n", 10, "flag 'X' is not T or F")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nH\n1\nWrong\n0 0 0\n", 8, "expected Direct or Cartesian")]
    [InlineData("c\nbig\n1 0 0\n0 1 0\n0 0 1\nH\n1\nDirect\n0 0 0\n", 2, "scale factor 'big' is not a finite number")]
    [InlineData("c\n1.0\n1 0 0\n0 1 0\n0 0 1\nH\n1\nDirect\n0 0 0\n\n0.1 0.2\n", 11, "2 columns in the velocity block")]
    public void BadPoscarNamesTheLine(string text, int line, string problem)
    {
        var e = Assert.Throws<InputException>(() => PoscarReader.Read(new StringReader(text), "POSCAR"));
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
    }
}
