using MDEngine.IO;
using MDEngine.ML.Mace;
using MDEngine.ML.Training;
using MDEngine.Neighbors;

namespace MDEngine.ML.Tests.Training;

/// <summary>Short runs on the five fixture configurations (fine-tuning the untrained fixture model): the validation
/// error falls, a run resumed from its checkpoint ends bit for bit where an uninterrupted one does, and the saved
/// model loads as a potential that gives the trained model's energies.</summary>
public class TrainingRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mdengine-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TrainingOptions Options(string name, int epochs, bool restart = false) => new()
    {
        Name = name, Seed = 7, ModelDir = _dir, CheckpointsDir = _dir, ResultsDir = _dir,
        TrainFile = TrainingFixture.ConfigsFile, ValidFile = TrainingFixture.ConfigsFile,
        Keys = new DataKeys { EnergyKey = "energy_xtb", ForcesKey = "forces_xtb" },
        FoundationModel = TrainingFixture.ModelFile, E0s = "foundation",
        BatchSize = 2, ValidBatchSize = 5, MaxNumEpochs = epochs, Lr = 0.01,
        Swa = true, StartSwa = 3, Ema = true, EmaDecay = 0.9, RestartLatest = restart,
    };

    [Fact]
    public void ValidationErrorFallsAndResumeEqualsUninterruptedRun()
    {
        var full = new MaceTrainer(Options("full", 4));
        var history = full.Run().History;
        Assert.Equal(4, history.Count);
        Assert.True(history[^1].RmseForces < history[0].RmseForces, $"force RMSE {history[0].RmseForces} → {history[^1].RmseForces}");
        Assert.True(history.Min(h => h.ValidLoss) < history[0].ValidLoss);
        Assert.Equal([1, 1, 1, 2], history.Select(h => h.Stage));

        new MaceTrainer(Options("resumed", 2)).Run();
        var resumed = new MaceTrainer(Options("resumed", 4, restart: true));
        var resumedHistory = resumed.Run().History;
        Assert.Equal(history.Select(h => (h.TrainLoss, h.ValidLoss, h.LearningRate)), resumedHistory.Select(h => (h.TrainLoss, h.ValidLoss, h.LearningRate)));
        for (int k = 0; k < full.Model.Parameters.Count; k++)
            Assert.Equal(full.Model.Parameters[k].Value.detach().data<double>().ToArray(), resumed.Model.Parameters[k].Value.detach().data<double>().ToArray());
    }

    [Fact]
    public void Float32RunLowersTheForceError()
    {
        var history = new MaceTrainer(Options("single", 3) with { Swa = false, Ema = false, DefaultDtype = "float32" }).Run().History;
        Assert.True(history[^1].RmseForces < history[0].RmseForces, $"force RMSE {history[0].RmseForces} → {history[^1].RmseForces}");
    }

    [Fact]
    public void SavedModelLoadsAsPotential()
    {
        var trainer = new MaceTrainer(Options("saved", 1) with { Swa = false, Ema = false });
        var result = trainer.Run();
        var potential = MacePotential.Load(result.ModelPath);
        var configs = TrainingFixture.Configurations();
        var metrics = trainer.Evaluate(trainer.Batches(configs, 5), new WeightedLoss(LossKind.Weighted, 1, 100), keepPairs: true);
        for (int k = 0; k < configs.Count; k++)
        {
            var s = configs[k].Structure;
            double e = potential.Compute(s, NeighborListBuilder.Build(s, potential.Cutoff), Potentials.Quantities.Energy).Energy;
            Assert.Equal(metrics.EnergyPairs[k].Predicted * s.Count, e, 1e-8);
        }
    }
}
