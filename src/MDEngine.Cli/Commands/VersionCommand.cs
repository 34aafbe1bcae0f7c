using System.CommandLine;
using System.Reflection;

namespace MDEngine.Cli.Commands;

internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the MDEngine version and the runtime it runs on.");
        command.SetAction(parse =>
        {
            var version = typeof(Structures.Structure).Assembly.GetName().Version;
            parse.InvocationConfiguration.Output.WriteLine($"mdengine {version} on .NET {Environment.Version} ({System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} cores)");
            return 0;
        });
        return command;
    }
}
