using System.Diagnostics;
using static TorchSharp.torch;

namespace MDEngine.ML.Training;

/// <summary>What a run reports while it works: the progress through an epoch's batches, and each finished epoch.</summary>
public interface ITrainingObserver
{
    void BatchDone(int epoch, int batch, int batches) { }
    /// <summary>After each epoch: the whole history so far (a resumed run's earlier epochs included), the last entry new.</summary>
    void EpochDone(IReadOnlyList<EpochRecord> history) { }
    void Message(string text) { }
}

/// <summary>The result of a run: the history, the best model's path and, with a test file, its test errors.</summary>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> History, string ModelPath, int BestEpoch, ErrorMetrics? Test);

/// <summary>
/// mace-torch's training loop (mace.tools.train) on a <see cref="TrainableMace"/>: per epoch the learning-rate
/// scheduler (ReduceLROnPlateau on the last validation loss; in stage two the constant swa_lr and the stage-two loss
/// weights), a pass over the shuffled training batches (loss, its gradient through the forces, gradient-norm clipping,
/// Adam/AMSGrad with weight decay on mace-torch's groups, EMA), validation every eval_interval epochs (with the EMA
/// weights when on), the best model by validation loss saved in MDEngine's format (the best is reset when stage two
/// starts), and a checkpoint. A run resumed from its checkpoint continues exactly as an uninterrupted one: the
/// shuffle of epoch k depends only on the seed and k.
/// </summary>
public sealed class MaceTrainer
{
    private readonly TrainingOptions _o;
    private readonly ITrainingObserver _observer;
    private readonly NeighborCache _neighbors;

    public TrainableMace Model { get; }
    public IReadOnlyList<TrainingConfiguration> Train { get; }
    public IReadOnlyList<TrainingConfiguration> Valid { get; }
    public string ModelPath => Path.Combine(_o.ModelDir, $"{_o.Name}.json");
    public string CheckpointPath => TrainingCheckpoint.PathOf(_o.CheckpointsDir, _o.Name);

    public MaceTrainer(TrainingOptions options, ITrainingObserver? observer = null)
    {
        options.Validate();
        _o = options; _observer = observer ?? new SilentObserver();
        var all = TrainingData.Read(options.TrainFile, options.Keys);
        // As mace-torch: single atoms of config_type IsolatedAtom in the training file are not trained on; their
        // energies are the E0s when E0s is "average" and they cover every element of the data.
        var isolated = all.Where(c => c.ConfigType == "IsolatedAtom" && c.AtomCount == 1 && c.Energy is not null).ToList();
        if (isolated.Count > 0)
        {
            all = all.Except(isolated).ToList();
            var e0s = isolated.GroupBy(c => c.Structure.Numbers[0]).ToDictionary(g => g.Key, g => g.First().Energy!.Value);
            if (options.E0s == "average" && options.E0sGiven is null && all.SelectMany(c => c.Structure.Numbers).All(e0s.ContainsKey))
            {
                options = options with { E0sGiven = e0s };
                _o = options;
                _observer.Message($"E0s from the {isolated.Count} isolated atoms of {options.TrainFile}");
            }
        }
        (Train, Valid) = options.ValidFile is { } vf ? (all, TrainingData.Read(vf, options.Keys)) : TrainingData.Split(all, options.ValidFraction, options.Seed);
        Model = TrainingModelFactory.Create(options, Train, Valid);
        _neighbors = new NeighborCache(Model.Config.RMax);
        _observer.Message($"{Train.Count} training, {Valid.Count} validation configurations; {Model.Parameters.Sum(p => p.Value.numel())} trainable parameters; "
            + $"E0s {string.Join(", ", Model.Config.AtomicNumbers.Select((z, i) => $"Z{z} {Model.Config.AtomicEnergies[i]:F4}"))} eV");
    }

    private sealed class SilentObserver : ITrainingObserver;

    /// <summary>mace-torch's parameter groups: weight decay on the interactions' linear maps and on the products.</summary>
    private List<ParameterGroup> Groups()
    {
        var p = Model.Parameters;
        bool In(string name, string prefix) => name.StartsWith(prefix, StringComparison.Ordinal);
        bool Decayed(string name) => In(name, "interactions.") && (name.Contains(".linear.weight", StringComparison.Ordinal) || name.Contains(".skip_tp_full.weight", StringComparison.Ordinal));
        var groups = new List<ParameterGroup>
        {
            new("embedding", p.Where(x => In(x.Name, "node_embedding.")).ToList(), 0.0),
            new("interactions_decay", p.Where(x => Decayed(x.Name)).ToList(), _o.WeightDecay),
            new("interactions_no_decay", p.Where(x => In(x.Name, "interactions.") && !Decayed(x.Name)).ToList(), 0.0),
            new("products", p.Where(x => In(x.Name, "products.")).ToList(), _o.WeightDecay),
            new("readouts", p.Where(x => In(x.Name, "readouts.")).ToList(), 0.0),
        };
        var grouped = groups.SelectMany(g => g.Parameters.Select(x => x.Name)).ToHashSet();
        var rest = p.Where(x => !grouped.Contains(x.Name)).ToList();
        if (rest.Count > 0) groups.Add(new ParameterGroup("other", rest, 0.0));
        return groups;
    }

    public TrainingResult Run()
    {
        var groups = Groups();
        var adam = new AdamOptimizer(groups, _o.Lr, _o.Beta, amsgrad: _o.Amsgrad);
        var scheduler = new ReduceLrOnPlateau(_o.LrFactor, _o.SchedulerPatience);
        var ema = _o.Ema ? new ExponentialMovingAverage(Model.Parameters, _o.EmaDecay) : null;
        var stageOne = new WeightedLoss(_o.LossKind, _o.EnergyWeight, _o.ForcesWeight, _o.StressWeight, _o.HuberDelta);
        var secondStage = stageOne.WithWeights(_o.SwaEnergyWeight, _o.SwaForcesWeight, _o.SwaStressWeight);
        var validBatches = Batches(Valid, _o.ValidBatchSize);

        int start = 0, bestEpoch = -1, patience = 0;
        double lowest = double.PositiveInfinity, validLoss;
        bool stageTwoStarted = false;
        var history = new List<EpochRecord>();
        Dictionary<string, Tensor>? best = null;
        if (_o.RestartLatest && File.Exists(CheckpointPath))
        {
            var c = TrainingCheckpoint.Load(CheckpointPath, _o.ScalarType);
            Model.Load(Model.Parameters.ToDictionary(p => p.Name, p => c.Tensors[$"param/{p.Name}"]));
            using (no_grad()) foreach (var (key, t) in adam.State) t.copy_(c.Tensors[$"opt/{key}"]);
            adam.Restore(c.OptimizerStep);
            for (int g = 0; g < groups.Count; g++) groups[g].LearningRate = c.LearningRates[g];
            scheduler.Best = c.SchedulerBest; scheduler.BadEpochs = c.SchedulerBadEpochs;
            if (ema is not null) { ema.Updates = c.EmaUpdates; foreach (var (name, t) in ema.Shadow) t.copy_(c.Tensors[$"ema/{name}"]); }
            best = Model.Parameters.Where(p => c.Tensors.ContainsKey($"best/{p.Name}")).ToDictionary(p => p.Name, p => c.Tensors[$"best/{p.Name}"]);
            if (best.Count == 0) best = null;
            (start, lowest, validLoss, patience, stageTwoStarted, bestEpoch) = (c.NextEpoch, c.LowestLoss, c.ValidLoss, c.PatienceCounter, c.StageTwoStarted, c.BestEpoch);
            history.AddRange(c.History);
            _observer.Message($"resuming from {CheckpointPath} at epoch {start}");
        }
        else
        {
            validLoss = WithEvaluationWeights(ema, () => Evaluate(validBatches, stageOne, keepPairs: false)).Loss;
            _observer.Message($"initial validation loss {validLoss:G6}");
        }

        for (int epoch = start; epoch < _o.MaxNumEpochs; epoch++)
        {
            bool stageTwo = _o.Swa && epoch >= _o.SwaStart;
            if (!stageTwo) { if (epoch > start) scheduler.Step(validLoss, groups); }
            else
            {
                if (!stageTwoStarted) { stageTwoStarted = true; lowest = double.PositiveInfinity; _observer.Message($"epoch {epoch}: stage two (loss weights E {_o.SwaEnergyWeight}, F {_o.SwaForcesWeight}, lr {_o.SwaLr})"); }
                foreach (var g in groups) g.LearningRate = _o.SwaLr;
            }
            var loss = stageTwo ? secondStage : stageOne;
            var clock = Stopwatch.StartNew();
            double trainLoss = TrainEpoch(epoch, loss, adam, ema);
            double seconds = clock.Elapsed.TotalSeconds;

            ErrorMetrics? valid = null;
            if (epoch % _o.EvalInterval == 0)
            {
                valid = WithEvaluationWeights(ema, () => Evaluate(validBatches, loss, keepPairs: false));
                validLoss = valid.Loss;
                if (validLoss < lowest)
                {
                    lowest = validLoss; bestEpoch = epoch; patience = 0;
                    best = ema?.Shadow.ToDictionary(kv => kv.Key, kv => kv.Value.clone()) ?? Model.Snapshot();
                    SaveModel(best);
                }
                else patience++;
            }
            var record = EpochRecord.From(epoch, stageTwo ? 2 : 1, groups[0].LearningRate, trainLoss, valid, seconds);
            history.Add(record);
            SaveCheckpoint(epoch + 1, adam, groups, scheduler, ema, best, lowest, validLoss, patience, stageTwoStarted, bestEpoch, history);
            _observer.EpochDone(history);
            if (patience >= _o.Patience)
            {
                if (_o.Swa && epoch < _o.SwaStart) { _observer.Message($"no improvement for {patience} evaluations: stage two starts"); epoch = _o.SwaStart - 1; patience = 0; }
                else { _observer.Message($"stopping: no improvement for {patience} evaluations"); break; }
            }
        }

        ErrorMetrics? test = null;
        if (_o.TestFile is { } testFile)
        {
            var testSet = TrainingData.Read(testFile, _o.Keys);
            var current = Model.Snapshot();
            if (best is not null) Model.Load(best);
            test = Evaluate(Batches(testSet, _o.ValidBatchSize), stageOne, keepPairs: true);
            Model.Load(current);
        }
        return new TrainingResult(history, ModelPath, bestEpoch, test);
    }

    /// <summary>One pass over the training set in a shuffled order drawn from (seed, epoch); the last incomplete batch
    /// is dropped, as mace-torch's training loader does. Returns the mean batch loss.</summary>
    private double TrainEpoch(int epoch, WeightedLoss loss, AdamOptimizer adam, ExponentialMovingAverage? ema)
    {
        var order = Enumerable.Range(0, Train.Count).ToArray();
        new Random(HashCode.Combine(_o.Seed, epoch) & int.MaxValue).Shuffle(order);
        int batches = Math.Max(1, Train.Count / _o.BatchSize);
        double sum = 0;
        var parameters = Model.Parameters.Select(p => p.Value).ToArray();
        for (int b = 0; b < batches; b++)
        {
            var members = order.Skip(b * _o.BatchSize).Take(_o.BatchSize).Select(i => Train[i]).ToArray();
            var batch = new TrainingBatch(members, _neighbors, Model.SpeciesIndex);
            using var scope = NewDisposeScope();
            var prediction = ModelPrediction.Compute(Model.Model, batch, loss.UsesStress, training: true);
            var value = loss.Compute(prediction, batch.Labels(Model.Options.DType, Model.Options.Device));
            var grads = autograd.grad([value], parameters).ToArray();
            if (_o.ClipGrad is double maxNorm) ClipGradNorm(grads, maxNorm);
            adam.Update(Model.Parameters.Select((p, k) => (p.Name, grads[k])).ToDictionary(t => t.Name, t => t.Item2, StringComparer.Ordinal));
            ema?.Update(Model.Parameters);
            double v = value.to(ScalarType.Float64).item<double>();
            if (!double.IsFinite(v)) throw new TrainingException($"epoch {epoch}: the training loss is {v} (lower lr, or check the labels)");
            sum += v;
            _observer.BatchDone(epoch, b + 1, batches);
        }
        return sum / batches;
    }

    /// <summary>torch.nn.utils.clip_grad_norm_: all gradients scaled by max_norm/(‖g‖₂ + 1e-6) when that is below 1.</summary>
    private static void ClipGradNorm(Tensor[] grads, double maxNorm)
    {
        using var _ = no_grad();
        var total = stack(grads.Select(g => g.norm()).ToArray()).norm().to(ScalarType.Float64).item<double>();
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1) foreach (var g in grads) g.mul_(coefficient);
    }

    /// <summary>Loss and errors over fixed batches (no parameter gradient kept).</summary>
    public ErrorMetrics Evaluate(IReadOnlyList<TrainingBatch> batches, WeightedLoss loss, bool keepPairs)
    {
        var metrics = new ErrorMetrics { KeepPairs = keepPairs };
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var prediction = ModelPrediction.Compute(Model.Model, batch, loss.UsesStress || batch.Configurations.Any(c => c.Stress is not null), training: false);
            var labels = batch.Labels(Model.Options.DType, Model.Options.Device);
            metrics.AddLoss(loss.Compute(prediction, labels).to(ScalarType.Float64).item<double>(), batch.StructureCount);
            var energy = Host(prediction.Energy); var forces = Host(prediction.Forces); var stress = prediction.Stress is null ? null : Host(prediction.Stress);
            int atom0 = 0;
            for (int k = 0; k < batch.Configurations.Count; k++)
            {
                var c = batch.Configurations[k];
                if (c.Energy is double e) metrics.AddEnergy(e, energy[k], c.AtomCount);
                if (c.Forces is { } f)
                    for (int a = 0; a < c.AtomCount; a++)
                    {
                        metrics.AddForce(f[a].X, forces[3 * (atom0 + a)]); metrics.AddForce(f[a].Y, forces[3 * (atom0 + a) + 1]); metrics.AddForce(f[a].Z, forces[3 * (atom0 + a) + 2]);
                    }
                if (c.Stress is { } s && stress is not null && c.Structure.Pbc.AllPeriodic)
                {
                    var r = s.ToArray();
                    for (int q = 0; q < 9; q++) metrics.AddStress(r[q], stress[9 * k + q]);
                }
                atom0 += c.AtomCount;
            }
        }
        return metrics;
    }

    /// <summary>The configurations in file order, in batches of <paramref name="size"/> (the last may be smaller).</summary>
    public List<TrainingBatch> Batches(IReadOnlyList<TrainingConfiguration> set, int size) =>
        set.Chunk(size).Select(chunk => new TrainingBatch(chunk, _neighbors, Model.SpeciesIndex)).ToList();

    private T WithEvaluationWeights<T>(ExponentialMovingAverage? ema, Func<T> evaluate)
    {
        if (ema is null) return evaluate();
        var current = Model.Snapshot();
        Model.Load(ema.Shadow);
        try { return evaluate(); }
        finally { Model.Load(current); }
    }

    private void SaveModel(Dictionary<string, Tensor> weights)
    {
        var current = Model.Snapshot();
        Model.Load(weights);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(ModelPath))!);
        Model.Save(ModelPath);
        Model.Load(current);
    }

    private void SaveCheckpoint(int nextEpoch, AdamOptimizer adam, List<ParameterGroup> groups, ReduceLrOnPlateau scheduler, ExponentialMovingAverage? ema,
        Dictionary<string, Tensor>? best, double lowest, double validLoss, int patience, bool stageTwoStarted, int bestEpoch, List<EpochRecord> history)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in Model.Parameters) tensors[$"param/{name}"] = p;
        foreach (var (key, t) in adam.State) tensors[$"opt/{key}"] = t;
        if (ema is not null) foreach (var (name, t) in ema.Shadow) tensors[$"ema/{name}"] = t;
        if (best is not null) foreach (var (name, t) in best) tensors[$"best/{name}"] = t;
        new TrainingCheckpoint
        {
            NextEpoch = nextEpoch, OptimizerStep = adam.Step, LearningRates = groups.Select(g => g.LearningRate).ToArray(),
            SchedulerBest = scheduler.Best, SchedulerBadEpochs = scheduler.BadEpochs, EmaUpdates = ema?.Updates ?? 0,
            LowestLoss = lowest, ValidLoss = validLoss, PatienceCounter = patience, StageTwoStarted = stageTwoStarted, BestEpoch = bestEpoch,
            History = history, Tensors = tensors,
        }.Save(CheckpointPath);
    }

    private static double[] Host(Tensor t) => t.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
}
