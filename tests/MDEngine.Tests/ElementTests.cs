using MDEngine.Structures;

namespace MDEngine.Tests;

public class ElementTests
{
    [Fact]
    public void TableCoversHydrogenToOganesson()
    {
        Assert.Equal(118, Element.All.Count);
        Assert.Equal("Lr", Element.FromZ(103).Symbol);
        Assert.Equal("Og", Element.FromZ(118).Symbol);
        Assert.Equal(63.546, Element.FromSymbol("Cu").Mass);
        Assert.Equal(1.11, Element.FromSymbol("Si").CovalentRadius);
    }

    [Fact]
    public void UnknownSymbolIsRejected() => Assert.False(Element.TryFromSymbol("Xx", out _));
}
