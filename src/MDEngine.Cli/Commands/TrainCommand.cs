using System.CommandLine;
using MDEngine.Cli.Training;
using MDEngine.ML.Graphs;
using MDEngine.ML.Training;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine train CONFIG.yaml</c>: trains or fine-tunes a MACE model from a mace-torch style YAML config
/// (<see cref="MaceTrainer"/>); writes the best model in MDEngine's format, checkpoints, a metrics CSV and plots.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "YAML file with mace-torch's run_train options (train_file, energy_key, max_num_epochs, ...)." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for torch (default: torch's choice)." };
        var command = new Command("train", "Train or fine-tune a MACE model on extended XYZ data (mace-torch's options, loss and optimiser).");
        command.Arguments.Add(config);
        command.Options.Add(threads);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(config)!;
            if (parse.GetValue(threads) is int n)
            {
                if (n < 1) throw new UsageException($"--threads must be at least 1, not {n}.");
                TorchSharp.torch.set_num_threads(n);
            }
            var output = parse.InvocationConfiguration.Output;
            try
            {
                var reader = new TrainingOptionsReader(path);
                var options = reader.Read(TrainingConfigFile.Read(path));
                if (reader.Ignored.Count > 0) output.WriteLine($"ignored (no effect here): {string.Join(", ", reader.Ignored)}");
                var report = new TrainingReport(options, output, Console.IsErrorRedirected ? null : Console.Error);
                var trainer = new MaceTrainer(options, report);
                var result = trainer.Run();
                report.Finish(result);
                return 0;
            }
            catch (Exception e) when (e is TrainingException or ModelException or IO.InputException)
            {
                throw new UsageException(e.Message);
            }
        });
        return command;
    }
}
