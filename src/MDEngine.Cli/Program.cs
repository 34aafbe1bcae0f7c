using MDEngine.Cli;

return CliRunner.Invoke(CommandCatalog.CreateRoot(), args);
