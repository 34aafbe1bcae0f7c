using MDEngine.IO;
using MDEngine.Symmetry;

namespace MDEngine.Tests.Symmetry;

/// <summary>CIF files that name a space group without listing its operations expand through the database.</summary>
public class CifSpaceGroupsTests
{
    [Fact]
    public void NamesResolveThroughTheDatabase()
    {
        Assert.Equal(192, CifSpaceGroups.Operations("F d -3 m")!.Count);
        Assert.Null(CifSpaceGroups.Operations("Q 9 9 9"));
    }

    private static string Cif(string symmetryLines, double a, double c, double gamma, string sites) => $"""
        data_test
        _cell_length_a {a}
        _cell_length_b {a}
        _cell_length_c {c}
        _cell_angle_alpha 90
        _cell_angle_beta 90
        _cell_angle_gamma {gamma}
        {symmetryLines}
        loop_
        _atom_site_label
        _atom_site_type_symbol
        _atom_site_fract_x
        _atom_site_fract_y
        _atom_site_fract_z
        {sites}
        """;

    [Theory]
    [InlineData("_symmetry_space_group_name_H-M 'F m -3 m'", 225, 4)]
    [InlineData("_space_group_name_Hall '-F 4 2 3'", 225, 4)]
    [InlineData("_space_group_IT_number 225", 225, 4)]
    [InlineData("_symmetry_Int_Tables_number 229", 229, 2)]
    public void CubicCopperFromANameOnly(string symmetry, int number, int atoms)
    {
        var text = Cif(symmetry, 3.615, 3.615, 90, "Cu1 Cu 0 0 0");
        var s = CifReader.Read(new StringReader(text), "test.cif").Single();
        Assert.Equal(atoms, s.Count);
        Assert.Equal(number, SymmetryAnalyzer.Analyze(s, 1e-4).Number);
    }

    [Fact]
    public void DiamondUsesOriginChoiceOneAndRhombohedralHexagonalAxes()
    {
        // Fd-3m with Si at 8a = (0,0,0) in origin choice 1 (the default, as in ASE): 8 atoms of diamond.
        var si = CifReader.Read(new StringReader(Cif("_symmetry_space_group_name_H-M 'F d -3 m'", 5.43, 5.43, 90, "Si1 Si 0 0 0")), "si.cif").Single();
        Assert.Equal(8, si.Count);
        Assert.Equal(227, SymmetryAnalyzer.Analyze(si, 1e-4).Number);
        // R-3m on hexagonal axes: Bi at 6c (0,0,z), Te at 3a and 6c: Bi2Te3, 15 atoms.
        var bt = CifReader.Read(new StringReader(Cif("_symmetry_space_group_name_H-M 'R -3 m'", 4.386, 30.497, 120,
            "Bi1 Bi 0 0 0.4001\nTe1 Te 0 0 0\nTe2 Te 0 0 0.7907")), "bt.cif").Single();
        Assert.Equal(15, bt.Count);
        Assert.Equal(166, SymmetryAnalyzer.Analyze(bt, 1e-3).Number);
    }

    [Fact]
    public void SymmetryCifRoundTripsThroughTheCifReader()
    {
        var spinel = CrystalBuilder.Build(227, new Structures.LatticeParameters(8.08, 8.08, 8.08, 90, 90, 90),
            [AsymmetricSite.Parse("Mg:8a"), AsymmetricSite.Parse("Al:16d"), AsymmetricSite.Parse("O:32e:x=0.388")]);
        var d = SymmetryAnalyzer.Analyze(spinel);
        var back = CifReader.Read(new StringReader(SymmetryCifWriter.Write(d, "spinel")), "spinel.cif").Single();
        Assert.Equal(56, back.Count);
        Assert.Equal(spinel.Formula, back.Formula);
        var again = SymmetryAnalyzer.Analyze(back, 1e-4);
        Assert.Equal(227, again.Number);
        Assert.Equal(d.Wyckoffs.OrderBy(c => c), again.Wyckoffs.OrderBy(c => c));
    }

    [Fact]
    public void UnknownNamesStillFail()
    {
        var text = Cif("_symmetry_space_group_name_H-M 'Q 9 9 9'", 4, 4, 90, "Cu1 Cu 0 0 0");
        Assert.Throws<InputException>(() => CifReader.Read(new StringReader(text), "bad.cif"));
    }
}
