using System.CommandLine;
using MDEngine.Cli.Commands;
using MDEngine.Potentials.Formats;

namespace MDEngine.Cli;

/// <summary>Every subcommand of <c>mdengine</c>, one file each under Commands/.</summary>
internal static class CommandCatalog
{
    public static RootCommand CreateRoot()
    {
        // Every potential format `--potential` takes, registered here once: the classical ones and the ML families.
        var potentials = PotentialRegistry.Classical().Add(MDEngine.ML.MlPotentials.Formats);
        var root = new RootCommand("MDEngine: molecular dynamics and crystal relaxation with classical and machine-learned potentials.");
        foreach (var command in All(potentials)) root.Subcommands.Add(command);
        return root;
    }

    public static IEnumerable<Command> All(PotentialRegistry potentials) =>
    [
        VersionCommand.Create(),
        InfoCommand.Create(),
        ConvertCommand.Create(),
        EvalCommand.Create(potentials),
        BenchCommand.Create(),
        NeighborsCommand.Create(),
        MdCommand.Create(potentials),
        SymmetryCommand.Create(),
        BuildCommand.Create(),
        RelaxCommand.Create(potentials),
        CampaignCommand.Create(potentials),
        MergeCommand.Create(),
        SbatchCommand.Create(potentials),
        TrainCommand.Create(),
    ];
}
