using System.CommandLine;
using MDEngine.Cli;

namespace MDEngine.Tests;

public class CliRunnerTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliRunner.Invoke(root, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

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
