using MDEngine.ML.E3nn;

namespace MDEngine.ML.Tests.E3nn;

public class IrrepsTests
{
    [Fact]
    public void ParsesCountsAndPrints()
    {
        var irreps = Irreps.Parse("32x0e+32x1o");
        Assert.Equal(2, irreps.Count);
        Assert.Equal(32 + 96, irreps.Dim);
        Assert.Equal(64, irreps.NumIrreps);
        Assert.Equal(new Irrep(1, -1), irreps[1].Ir);
        Assert.Equal("32x0e+32x1o", irreps.ToString());
        Assert.Equal(new[] { 0, 32, 128 }, irreps.Offsets());
        Assert.Equal("1x0e+1x1o+1x2e+1x3o", Irreps.SphericalHarmonics(3).ToString());
    }

    [Fact]
    public void SortIsStableAndReportsWhereEachBlockWent()
    {
        var (sorted, permutation) = Irreps.Parse("2x1o+3x0e+4x1o+1x0o").Sort();
        Assert.Equal("1x0o+3x0e+2x1o+4x1o", sorted.ToString());
        Assert.Equal(new[] { 2, 1, 3, 0 }, permutation);
        Assert.Equal("1x0o+3x0e+6x1o", sorted.Simplify().ToString());
    }

    [Fact]
    public void ProductOfIrrepsFollowsTheTriangleAndParityRules()
    {
        Assert.Equal(new[] { new Irrep(1, 1), new Irrep(2, 1), new Irrep(3, 1) }, new Irrep(1, -1).Times(new Irrep(2, -1)).ToArray());
        Assert.Equal("1x0e+1x1e+1x2e", Irreps.Parse("1o").Times(new Irrep(1, -1)).ToString());
        Assert.Throws<FormatException>(() => Irreps.Parse("3x1q"));
    }
}
