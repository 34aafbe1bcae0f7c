namespace MDEngine.Tests;

/// <summary><c>mdengine train</c>: a two-epoch fine-tuning run of the committed training fixture writes the model,
/// checkpoint, metrics CSV and plots, and the model runs at once as <c>--potential</c>; bad configs exit with code 2
/// and one line naming the file and the problem.</summary>
public class TrainCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mdengine-train-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name) => RepositoryFiles.Find(Path.Combine("tests", "MDEngine.ML.Tests", "data", "mace-training", name));

    private string Config(string extra = "")
    {
        string path = Path.Combine(_dir, "train.yml");
        File.WriteAllText(path, $"""
            name: tiny
            model_dir: {_dir}
            checkpoints_dir: {_dir}
            results_dir: {_dir}
            train_file: {Fixture("configs.extxyz")}
            valid_file: {Fixture("configs.extxyz")}
            test_file: {Fixture("configs.extxyz")}
            foundation_model: {Fixture("model.model")}
            E0s: foundation
            energy_key: energy_xtb
            forces_key: forces_xtb
            batch_size: 5
            max_num_epochs: 2
            device: cuda
            {extra}
            """);
        return path;
    }

    [Fact]
    public void TrainWritesModelCsvAndPlotsAndTheModelEvaluates()
    {
        var (code, output, error) = CliHarness.Run("train", Config());
        Assert.True(code == 0, error);
        Assert.Contains("ignored (no effect here): device", output);
        Assert.Contains("epoch    1 stage 1", output);
        Assert.Contains("test: RMSE E", output);
        var csv = File.ReadAllLines(Path.Combine(_dir, "tiny_train.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("epoch,stage,lr,train_loss,valid_loss", csv[0]);
        Assert.DoesNotContain("NaN", string.Join("\n", csv));
        foreach (var png in new[] { "tiny_loss.png", "tiny_errors.png", "tiny_parity_energy.png", "tiny_parity_forces.png" })
            Assert.True(new FileInfo(Path.Combine(_dir, png)).Length > 1000, png);
        Assert.True(File.Exists(Path.Combine(_dir, "tiny.checkpoint.json")));

        var eval = CliHarness.Run("eval", Fixture("configs.extxyz"), "--potential", Path.Combine(_dir, "tiny.json"));
        Assert.True(eval.Code == 0, eval.Err);
    }

    [Theory]
    [InlineData("learning_rate: 0.1", "unknown option 'learning_rate'")]
    [InlineData("lr: fast", "'lr' = 'fast' is not a finite number")]
    [InlineData("loss: l1", "loss 'l1'")]
    public void BadConfigExitsWithCode2(string extra, string message)
    {
        string config = Config(extra);
        var (code, _, error) = CliHarness.Run("train", config);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_dir, "tiny.json")));
    }

    [Fact]
    public void MissingConfigExitsWithCode2()
    {
        var (code, _, error) = CliHarness.Run("train", Path.Combine(_dir, "absent.yml"));
        Assert.Equal(2, code);
        Assert.Contains("absent.yml", error);
    }
}
