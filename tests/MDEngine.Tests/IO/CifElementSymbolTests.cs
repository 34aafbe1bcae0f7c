using MDEngine.IO;

namespace MDEngine.Tests.IO;

/// <summary>CIF sites get their element by exact symbol, never by a prefix of a longer word.</summary>
public class CifElementSymbolTests
{
    [Theory]
    [InlineData("Fe1", "Fe")]
    [InlineData("O2-", "O")]
    [InlineData("Fe2+", "Fe")]
    [InlineData("SI", "Si")]
    [InlineData("FE3", "Fe")]
    [InlineData("Co(3)", "Co")]
    [InlineData("C1a", "C")]
    [InlineData("Og1", "Og")]
    [InlineData("Nh", "Nh")]
    [InlineData("Cn2", "Cn")]
    [InlineData("Fl", "Fl")]
    [InlineData("H_a", "H")]
    public void A_leading_symbol_followed_by_a_non_letter_names_the_element(string text, string symbol)
    {
        var element = CifElementSymbol.Match(text, out string problem);
        Assert.True(element is not null, problem);
        Assert.Equal(symbol, element.Symbol);
    }

    [Theory]
    [InlineData("Wat", "does not start with an element symbol")]
    [InlineData("OW1", "does not start with an element symbol")]
    [InlineData("Xx1", "does not start with an element symbol")]
    [InlineData("1Fe", "several species")]
    [InlineData("0.8Nb + 0.2Zr", "substitutional disorder")]
    [InlineData("Nb Zr", "substitutional disorder")]
    public void Anything_else_is_refused_with_the_reason(string text, string reason)
    {
        Assert.Null(CifElementSymbol.Match(text, out string problem));
        Assert.Contains(reason, problem);
    }

    private const string Header = "data_x\n_cell_length_a 5\n_cell_length_b 5\n_cell_length_c 5\nloop_\n_atom_site_label\n";

    [Fact]
    public void The_type_symbol_wins_over_the_label()
    {
        string text = Header + "_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nWat O2- 0 0 0\nOg1 Og 0.5 0.5 0.5\n";
        var s = CifReader.Read(new StringReader(text), "w.cif")[0];
        Assert.Equal(["O", "Og"], s.Symbols);
    }

    [Fact]
    public void A_label_that_is_no_element_is_refused_naming_the_site()
    {
        string text = Header + "_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nWat 0 0 0\n";
        var e = Assert.Throws<InputException>(() => CifReader.Read(new StringReader(text), "w.cif"));
        Assert.Equal(10, e.Line);
        Assert.Contains("site Wat: 'Wat' does not start with an element symbol", e.Message);
    }

    [Fact]
    public void A_mixed_species_type_symbol_is_reported_as_substitutional_disorder()
    {
        string text = Header + "_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nM1 '0.8Nb + 0.2Zr' 0 0 0\n";
        var e = Assert.Throws<InputException>(() => CifReader.Read(new StringReader(text), "m.cif"));
        Assert.Contains("site M1: '0.8Nb + 0.2Zr' lists several species: a site with substitutional disorder", e.Message);
    }
}
