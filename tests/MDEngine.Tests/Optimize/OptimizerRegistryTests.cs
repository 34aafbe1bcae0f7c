using MDEngine.Optimize;

namespace MDEngine.Tests.Optimize;

public class OptimizerRegistryTests
{
    [Fact]
    public void EveryNamedOptimizerIsMadeAndLineSearchesOnlyWhereOffered()
    {
        foreach (var kind in OptimizerRegistry.All)
        {
            Assert.Same(kind, OptimizerRegistry.Find(kind.Name.ToUpperInvariant()));
            Assert.NotNull(kind.Create(false));
            if (kind.TakesLineSearch) Assert.Contains("linesearch", kind.Create(true).Name, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Null(OptimizerRegistry.Find("gradient-descent"));
    }

    [Fact]
    public void TheCommandsReadTheirOptimizerNamesFromTheRegistry()
    {
        var (code, _, err) = CliHarness.Run("relax", "x.extxyz", "--optimizer", "nelder-mead", "--output", "y.extxyz");
        Assert.Equal(2, code);
        Assert.Contains(OptimizerRegistry.Names, err);
        var campaign = CliHarness.Run("campaign", "x.extxyz", "--optimizer", "nelder-mead", "--db", "y.db");
        Assert.Equal(2, campaign.Code);
        Assert.Contains(OptimizerRegistry.Names, campaign.Err);
    }
}
