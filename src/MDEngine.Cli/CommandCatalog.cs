using System.CommandLine;
using MDEngine.Cli.Commands;

namespace MDEngine.Cli;

/// <summary>Every subcommand of <c>mdengine</c>, one file each under Commands/.</summary>
internal static class CommandCatalog
{
    public static RootCommand CreateRoot()
    {
        MDEngine.ML.MlPotentials.Register(); // the ML model families' `--potential` specifications
        var root = new RootCommand("MDEngine: molecular dynamics and crystal relaxation with classical and machine-learned potentials.");
        foreach (var command in All()) root.Subcommands.Add(command);
        return root;
    }

    public static IEnumerable<Command> All() =>
    [
        VersionCommand.Create(),
        InfoCommand.Create(),
        ConvertCommand.Create(),
        EvalCommand.Create(),
        BenchCommand.Create(),
        NeighborsCommand.Create(),
        MdCommand.Create(),
        SymmetryCommand.Create(),
        BuildCommand.Create(),
        RelaxCommand.Create(),
        CampaignCommand.Create(),
        MergeCommand.Create(),
        SbatchCommand.Create(),
        TrainCommand.Create(),
    ];
}
