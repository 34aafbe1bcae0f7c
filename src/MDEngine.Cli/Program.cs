using System.CommandLine;
using MDEngine.Cli;

MDEngine.ML.Mace.MaceSpec.Register();

var root = new RootCommand("MDEngine: molecular dynamics and crystal relaxation with classical and machine-learned potentials.");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return CliRunner.Invoke(root, args);
