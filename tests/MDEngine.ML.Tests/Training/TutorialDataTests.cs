using MDEngine.ML.Training;

namespace MDEngine.ML.Tests.Training;

/// <summary>Training on the MACE tutorial's real data (read from the shared folder, never copied; skipped where
/// absent): a new model with the tutorial's hyperparameters (its constants computed) learns on the first 40 training configurations in three
/// epochs, and the test file is evaluated at the end. The full 50-epoch comparison with mace-torch is in docs/training.md.</summary>
public class TutorialDataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mdengine-tutorial-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void NewModelLearnsOnTutorialData()
    {
        string data = RealModels.Require("mace-tutorial-solvent-xtb/reference_data");
        string train = Path.Combine(_dir, "train.xyz"), test = Path.Combine(_dir, "test.xyz");
        // The 3 isolated atoms and 40 molecules of the training file; 20 test configurations.
        File.WriteAllLines(train, Frames(Path.Combine(data, "solvent_xtb_train_200.xyz"), 43));
        File.WriteAllLines(test, Frames(Path.Combine(data, "solvent_xtb_test.xyz"), 20));
        var options = new TrainingOptions
        {
            Name = "tutorial", ModelDir = _dir, CheckpointsDir = _dir, ResultsDir = _dir, TrainFile = train, TestFile = test, ValidFraction = 0.1,
            Keys = new DataKeys { EnergyKey = "energy_xtb", ForcesKey = "forces_xtb" }, // the architecture constants computed
            NumChannels = 32, MaxL = 0, Correlation = 2, RMax = 4.0, MaxEll = 2, BatchSize = 10, MaxNumEpochs = 3, Seed = 123,
        };
        var trainer = new MaceTrainer(options);
        Assert.Equal(new[] { -10.707211383396714, -48.847445262804705, -102.57117256025786 }, trainer.Model.Config.AtomicEnergies);
        Assert.Equal((36, 4), (trainer.Train.Count, trainer.Valid.Count));
        var result = trainer.Run();
        Assert.True(result.History[^1].RmseForces < result.History[0].RmseForces);
        Assert.NotNull(result.Test);
        Assert.Equal(20, result.Test!.EnergyPairs.Count);
        Assert.True(double.IsFinite(result.Test.RmseForces));
    }

    /// <summary>The first <paramref name="count"/> frames of an XYZ file (atom count line, comment, atoms).</summary>
    private static IEnumerable<string> Frames(string path, int count)
    {
        using var reader = new StreamReader(path);
        for (int f = 0; f < count; f++)
        {
            string header = reader.ReadLine()!;
            yield return header;
            int atoms = int.Parse(header.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            for (int k = 0; k <= atoms; k++) yield return reader.ReadLine()!;
        }
    }
}
