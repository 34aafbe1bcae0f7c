using MDEngine.Structures;

namespace MDEngine.Tests;

public class ElementTests
{
    [Fact]
    public void TableCoversHydrogenToLawrencium()
    {
        Assert.Equal(103, Element.All.Count);
        Assert.Equal("Lr", Element.FromZ(103).Symbol);
        Assert.Equal(63.546, Element.FromSymbol("Cu").Mass);
        Assert.Equal(1.11, Element.FromSymbol("Si").CovalentRadius);
    }

    [Theory]
    [InlineData("Fe1", "Fe")]
    [InlineData("O2-", "O")]
    [InlineData("SI", "Si")]
    [InlineData("Co(3)", "Co")]
    [InlineData("C1a", "C")]
    public void LabelsResolveToElements(string label, string symbol)
    {
        Assert.True(Element.TryFromLabel(label, out var e));
        Assert.Equal(symbol, e.Symbol);
    }

    [Fact]
    public void UnknownSymbolIsRejected() => Assert.False(Element.TryFromSymbol("Xx", out _));
}
