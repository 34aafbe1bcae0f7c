using System.CommandLine;
using System.Text.Json;
using MDEngine.Cli;
using MDEngine.IO;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.Symmetry;

public sealed class SymmetryCliTests() : TempDirectoryTests("mdengine-sym-")
{
    [Fact]
    public void BuildThenAnalyzeAsJson()
    {
        string xyz = Path.Combine(Dir, "spinel.extxyz");
        // MgAl2O4 spinel, Fd-3m origin choice 2 is Hall 526; the default (spglib's) setting is origin choice 1.
        var (code, output, error) = Run("build", "--spacegroup", "227", "--cell", "8.08,8.08,8.08,90,90,90",
            "--site", "Mg:8a", "--site", "Al:16d", "--site", "O:32e:x=0.388", "--output", xyz);
        Assert.True(code == 0, error);
        Assert.Contains("56 atoms", output);
        (code, output, error) = Run("symmetry", xyz, "--symprec", "0.01", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(227, root.GetProperty("number").GetInt32());
        Assert.Equal("Fd-3m", root.GetProperty("international").GetString());
        Assert.Equal(525, root.GetProperty("hall_number").GetInt32());
        Assert.Equal("m-3m", root.GetProperty("pointgroup").GetString());
        var letters = string.Concat(root.GetProperty("wyckoffs").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new string('a', 8) + new string('d', 16) + new string('e', 32), letters);
        Assert.Equal(56, root.GetProperty("equivalent_atoms").GetArrayLength());
    }

    [Fact]
    public void StandardizePrimitiveAndConventional()
    {
        string xyz = Path.Combine(Dir, "cu.extxyz");
        Assert.Equal(0, Run("build", "--spacegroup", "Fm-3m", "--cell", "3.615,3.615,3.615,90,90,90", "--site", "Cu:4a", "--output", xyz).Code);
        string prim = Path.Combine(Dir, "prim.extxyz");
        var (code, _, error) = Run("symmetry", xyz, "--standardize", "primitive", "--output", prim);
        Assert.True(code == 0, error);
        var p = StructureFile.ReadFrame(prim);
        Assert.Equal(1, p.Count);
        Assert.Equal(3.615 * 3.615 * 3.615 / 4, p.Volume, 6);
        string cif = Path.Combine(Dir, "conv.cif");
        (code, _, error) = Run("symmetry", prim, "--standardize", "conventional", "--output", cif);
        Assert.True(code == 0, error);
        string text = File.ReadAllText(cif);
        Assert.Contains("_space_group_IT_number 225", text);
        Assert.Contains("Cu1 Cu 4 a 0.00000000 0.00000000 0.00000000", text);
    }

    [Fact]
    public void BadInputIsOneLineWithExitCode2()
    {
        string xyz = Path.Combine(Dir, "x.extxyz");
        var (code, _, error) = Run("build", "--spacegroup", "221", "--cell", "4,4,4,90,90,90", "--site", "Cs:1a", "--site", "Cl:1a", "--output", xyz);
        Assert.Equal(2, code);
        Assert.Contains("overlap", error);
        Assert.False(File.Exists(xyz));
        (code, _, error) = Run("build", "--spacegroup", "999", "--cell", "4,4,4,90,90,90", "--site", "Cs:1a", "--output", xyz);
        Assert.Equal(2, code);
        (code, _, error) = Run("build", "--spacegroup", "221", "--cell", "4,4,90,90,90", "--site", "Cs:1a", "--output", xyz);
        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Symmetry_and_relax_name_the_same_group_by_default()
    {
        // Copper with 3e-4 Å of noise: spglib's 1e-5 would call it P1, the shared default of 1e-3 Å Fm-3m.
        string cif = Path.Combine(Dir, "cu.cif"), noisy = Path.Combine(Dir, "noisy.extxyz");
        Assert.Equal(0, Run("build", "--spacegroup", "225", "--cell", "3.615,3.615,3.615,90,90,90", "--site", "Cu:4a", "--output", cif).Code);
        var s = MDEngine.IO.StructureFile.ReadFrame(cif);
        for (int i = 0; i < s.Count; i++) s.Positions[i] += new MDEngine.Geometry.Vec3(3e-4 * ((i % 3) - 1), -2e-4 * (i % 2), 1e-4 * i);
        MDEngine.IO.StructureFile.Write(noisy, s);
        var (code, symmetry, error) = Run("symmetry", noisy);
        Assert.True(code == 0, error);
        Assert.Contains("Fm-3m (225)", symmetry);
        (code, string relax, error) = Run("relax", noisy, "--steps", "0", "--output", Path.Combine(Dir, "r.extxyz"));
        Assert.True(code is 0 or 3, error);
        Assert.Contains("space group Fm-3m (225) ->", relax);
    }

    [Theory]
    [InlineData("symmetry", "1e308")]
    [InlineData("symmetry", "0")]
    [InlineData("symmetry", "NaN")]
    [InlineData("relax", "1e308")]
    public void A_symprec_outside_0_to_1_angstrom_is_one_line_with_exit_code_2(string command, string symprec)
    {
        string cif = Path.Combine(Dir, "nacl.cif");
        Assert.Equal(0, Run("build", "--spacegroup", "225", "--cell", "5.64,5.64,5.64,90,90,90", "--site", "Na:4a", "--site", "Cl:4b", "--output", cif).Code);
        string[] args = command == "symmetry" ? ["symmetry", cif, "--symprec", symprec]
            : ["relax", cif, "--potential", "lj:epsilon=0.01,sigma=2.5,cutoff=6", "--symprec", symprec, "--output", Path.Combine(Dir, "out.extxyz")];
        var (code, _, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains("--symprec", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(Dir, "out.extxyz")));
    }
}
