using System.CommandLine;
using MDEngine.Cli;
using MDEngine.IO;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.IO;

public sealed class CliCommandTests() : TempDirectoryTests("mdengine-cli-")
{
    private string Write(string name, string text)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void InfoPrintsEveryFrame()
    {
        var (code, output, _) = Run("info", IoReference.PathOf("multi.extxyz"));
        Assert.Equal(0, code);
        Assert.Contains("3 frames", output);
        Assert.Contains("frame 0: Cu8, 8 atoms, a=7.230000 b=3.615000 c=3.615000 Å α=90.0000 β=90.0000 γ=90.0000°", output);
        // 8 Cu (63.546 amu) in 7.23 × 3.615² Å³.
        double density = 8 * 63.546 * 1.66053906660 / (7.23 * 3.615 * 3.615);
        Assert.Contains(FormattableString.Invariant($"density={density:F6} g/cm³"), output);
        Assert.Contains("frame 2: H2O, 3 atoms, no cell, pbc=F F F", output);
    }

    [Fact]
    public void ConvertWritesAllFramesOrOne()
    {
        string all = Path.Combine(Dir, "all.extxyz");
        Assert.Equal(0, Run("convert", IoReference.PathOf("multi.extxyz"), all).Code);
        Assert.Equal(3, StructureFile.Read(all).Count);
        string one = Path.Combine(Dir, "one.xyz");
        Assert.Equal(0, Run("convert", IoReference.PathOf("multi.extxyz"), one, "--frame", "-2").Code);
        Assert.Equal("Cl2Na2", StructureFile.ReadFrame(one).Formula);
    }

    [Fact]
    public void ConvertRefusesWhatTheTargetCannotHoldAndLeavesNothing()
    {
        string cif = Path.Combine(Dir, "out.cif");
        var (code, _, err) = Run("convert", IoReference.PathOf("multi.extxyz"), cif);
        Assert.Equal(2, code);
        Assert.Contains("choose one with --frame", err);
        Assert.False(File.Exists(cif));

        // A molecule has no cell for a POSCAR: the writer fails and neither the target nor a temporary file remains.
        string poscar = Path.Combine(Dir, "POSCAR");
        (code, _, err) = Run("convert", IoReference.PathOf("methane.xyz"), poscar);
        Assert.Equal(2, code);
        Assert.Contains("periodic along all three axes", err);
        Assert.Empty(Directory.GetFiles(Dir));

        // An existing target is left untouched by a failed conversion.
        File.WriteAllText(poscar, "keep me");
        Assert.Equal(2, Run("convert", Write("bad.extxyz", "1\n\nH 0 0\n"), poscar).Code);
        Assert.Equal("keep me", File.ReadAllText(poscar));

        Assert.Equal(0, Run("convert", IoReference.PathOf("multi.extxyz"), cif, "--frame", "0").Code);
        Assert.Equal("Cu8", StructureFile.ReadFrame(cif).Formula);
        string vasp = Path.Combine(Dir, "Cu.vasp");
        Assert.Equal(0, Run("convert", cif, vasp).Code);
        IoReference.AssertClose(Structures.Structure.FromVec3(StructureFile.ReadFrame(cif).Positions),
            Structures.Structure.FromVec3(StructureFile.ReadFrame(vasp).Positions), 1e-13, "positions");
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "truncated.extxyz", "3\nProperties=species:S:1:pos:R:3\nH 0 0 0\nH 0 0 1\n", ":5: the frame starting at line 1 declares 3 atoms but the file ends after 2" },
        { "columns.extxyz", "2\n\nH 0 0 0\nH 0 0\n", ":4: 3 columns, expected 4" },
        { "element.extxyz", "2\n\nH 0 0 0\nQq 0 0 1\n", ":4: unknown element 'Qq'" },
        { "nan.extxyz", "2\n\nH 0 0 0\nH 0 NaN 1\n", ":4: pos: 'NaN' is not a finite number" },
        { "inf.extxyz", "1\n\nH 0 0 inf\n", ":3: pos: 'inf' is not a finite number" },
        { "count.extxyz", "-2\n\nH 0 0 0\n", ":1: negative atom count -2" },
        { "huge.extxyz", "500000000\n\nH 0 0 0\n", ":4: the frame starting at line 1 declares 500000000 atoms but the file ends after 1" },
        { "header.extxyz", "two\n\nH 0 0 0\n", ":1: expected the atom count, found \"two\"" },
        { "singular.extxyz", "1\nLattice=\"1 0 0 2 0 0 0 0 1\"\nH 0 0 0\n", ":2: the lattice vectors of the periodic axes are not independent" },
        { "zero.extxyz", "1\nLattice=\"1 0 0 0 0 0 0 0 1\" pbc=\"T T F\"\nH 0 0 0\n", ":2: a periodic axis has a zero lattice vector" },
        { "lattice.extxyz", "1\nLattice=\"1 0 0 0 1 0 0 0\"\nH 0 0 0\n", ":2: Lattice must be 9 numbers" },
        { "type.extxyz", "1\nProperties=species:S:1:pos:X:3\nH 0 0 0\n", ":2: unknown property type 'X'" },
        { "number.extxyz", "1\n\nH 0 0 zero\n", ":3: pos: 'zero' is not a finite number" },
        { "empty.extxyz", "", "no frames: the file is empty" },
        { "second.extxyz", "1\n\nH 0 0 0\n2\n\nH 0 0 0\n", ":7: the frame starting at line 4 declares 2 atoms but the file ends after 1" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadInputIsOneLineExitTwoAndNoOutput(string name, string text, string message)
    {
        string input = Write(name, text);
        var thrown = Assert.Throws<InputException>(() => StructureFile.Read(input));
        Assert.Contains(message, thrown.Message);

        string output = Path.Combine(Dir, "out.extxyz");
        var (code, stdout, stderr) = Run("convert", input, output);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.TrimEnd('\n', '\r').Split('\n'));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp"));
        Assert.Equal("", stdout);

        Assert.Equal(2, Run("info", input).Code);
    }

    [Fact]
    public void Every_command_that_evaluates_defaults_to_the_auto_potential()
    {
        string cu = Path.Combine(Dir, "cu.extxyz");
        Assert.Equal(0, Run("convert", IoReference.PathOf("multi.extxyz"), cu, "--frame", "0").Code);
        foreach (var args in new[] { new[] { "eval", cu }, ["relax", cu, "--output", Path.Combine(Dir, "r.extxyz")],
                     ["md", cu, "--temperature", "10", "--steps", "2"] })
        {
            var (code, output, error) = Run(args);
            Assert.True(code == 0, $"{args[0]}: {error}");
            if (args[0] != "md") Assert.Contains("potential: ", output);
        }
    }

    [Fact]
    public void Symmetry_help_shows_no_magic_angle_tolerance()
    {
        var (_, output, _) = Run("symmetry", "--help");
        string line = output.Split('\n').Single(l => l.Contains("--angle-tolerance"));
        Assert.DoesNotContain("-1", line);
    }

    [Fact]
    public void UnknownFormatsAndMissingFilesExitTwo()
    {
        string input = Write("a.pdb", "x");
        var (code, _, err) = Run("info", input);
        Assert.Equal(2, code);
        Assert.Contains("cannot tell the format", err);
        Assert.Equal(2, Run("info", IoReference.PathOf("methane.xyz"), "--format", "pdb").Code);
        Assert.Equal(2, Run("info", Path.Combine(Dir, "missing.extxyz")).Code);
        Assert.Throws<InputException>(() => StructureFile.ResolveFormat("x.mol"));
        string output = Path.Combine(Dir, "o.extxyz");
        Assert.Equal(2, Run("convert", IoReference.PathOf("multi.extxyz"), output, "--frame", "7").Code);
        Assert.False(File.Exists(output));
    }
}
