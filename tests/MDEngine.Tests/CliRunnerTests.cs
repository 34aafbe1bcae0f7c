using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests;

public class CliRunnerTests
{

    [Fact]
    public void UnknownOptionIsBadInputWithOneLineMessage()
    {
        var (code, _, err) = Run("info", "structures/Cu_vacancy.extxyz", "--no-such-option");
        Assert.Equal(2, code);
        Assert.StartsWith("error:", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void UnknownCommandIsBadInput() => Assert.Equal(2, Run("no-such-command").Code);

    [Fact]
    public void MissingFileIsBadInput()
    {
        var (code, _, err) = Run("info", "/nonexistent/file.extxyz");
        Assert.Equal(2, code);
        Assert.Contains("file.extxyz", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void HelpSucceeds() => Assert.Equal(0, Run("--help").Code);
}
