using MDEngine.Cli;

namespace MDEngine.Tests;

/// <summary>Runs <c>mdengine</c> in-process, as a user would from a shell, capturing its output and exit code.</summary>
internal static class CliHarness
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliRunner.Invoke(CommandCatalog.CreateRoot(), args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
