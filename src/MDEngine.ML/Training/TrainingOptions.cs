namespace MDEngine.ML.Training;

/// <summary>
/// Everything a training run reads, under the names of mace-torch's <c>run_train</c> options (in snake_case in a
/// YAML file: train_file, valid_fraction, energy_key, E0s, num_channels, max_L, forces_weight, swa, start_swa, ...),
/// with mace-torch's defaults unless noted.
/// </summary>
public sealed record TrainingOptions
{
    // --- run
    public string Name { get; init; } = "MACE_model";
    public int Seed { get; init; } = 123;
    public string ModelDir { get; init; } = ".";
    public string CheckpointsDir { get; init; } = "checkpoints";
    public string ResultsDir { get; init; } = "results";
    /// <summary>"float64" or "float32".</summary>
    public string DefaultDtype { get; init; } = "float64";
    public string Device { get; init; } = "cpu";
    /// <summary>Resume from the run's checkpoint when one exists.</summary>
    public bool RestartLatest { get; init; }

    // --- data
    public required string TrainFile { get; init; }
    public string? ValidFile { get; init; }
    public double ValidFraction { get; init; } = 0.1;
    public string? TestFile { get; init; }
    public DataKeys Keys { get; init; } = new();
    /// <summary>"average" (least squares over the training set), "foundation" (keep a loaded model's), or explicit.</summary>
    public string E0s { get; init; } = "average";
    public IReadOnlyDictionary<int, double>? E0sGiven { get; init; }

    // --- model
    /// <summary>A model to fine-tune (mace-torch .model, or MDEngine's model JSON); null: a new model from the
    /// hyperparameters below.</summary>
    public string? FoundationModel { get; init; }
    /// <summary>Optional: a MACE model file whose architecture constants (U matrices, Wigner blocks) a new model takes
    /// instead of computing them (they depend only on max_ell and the correlation order).</summary>
    public string? ConstantsFrom { get; init; }
    /// <summary>mace-torch's freeze level: ≥1 node embedding, ≥5 interactions, ≥6 products, ≥7 readouts kept fixed.</summary>
    public int Freeze { get; init; }
    public double RMax { get; init; } = 5.0;
    public int NumRadialBasis { get; init; } = 8;
    public int NumCutoffBasis { get; init; } = 5;
    public int MaxEll { get; init; } = 3;
    public int Correlation { get; init; } = 3;
    public int NumInteractions { get; init; } = 2;
    public int? NumChannels { get; init; }
    public int? MaxL { get; init; }
    public string HiddenIrreps { get; init; } = "128x0e + 128x1o";
    public string MlpIrreps { get; init; } = "16x0e";
    public int[] RadialMlp { get; init; } = [64, 64, 64];
    public string Interaction { get; init; } = Mace.MaceConfig.ResidualInteraction;
    public string? InteractionFirst { get; init; }
    public double? AvgNumNeighbors { get; init; }

    // --- loss
    /// <summary>"weighted", "stress", "virials" or "huber". For "virials" the virial weights are stress_weight and
    /// swa_stress_weight (mace-torch's virials_weight, swa_virials_weight).</summary>
    public string Loss { get; init; } = "weighted";
    public double EnergyWeight { get; init; } = 1.0;
    public double ForcesWeight { get; init; } = 100.0;
    public double StressWeight { get; init; } = 1.0;
    public double SwaEnergyWeight { get; init; } = 1000.0;
    public double SwaForcesWeight { get; init; } = 100.0;
    public double SwaStressWeight { get; init; } = 10.0;
    public double HuberDelta { get; init; } = 0.01;

    // --- optimisation
    public int BatchSize { get; init; } = 10;
    public int ValidBatchSize { get; init; } = 10;
    public int MaxNumEpochs { get; init; } = 2048;
    public double Lr { get; init; } = 0.01;
    public double SwaLr { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 5e-7;
    public bool Amsgrad { get; init; } = true;
    public double Beta { get; init; } = 0.9;
    public double LrFactor { get; init; } = 0.8;
    public int SchedulerPatience { get; init; } = 50;
    public double? ClipGrad { get; init; } = 10.0;
    /// <summary>Stage two (mace-torch's "swa"): from <see cref="StartSwa"/> on, the swa_* loss weights and swa_lr.</summary>
    public bool Swa { get; init; }
    public int? StartSwa { get; init; }
    public bool Ema { get; init; }
    public double EmaDecay { get; init; } = 0.99;
    public int EvalInterval { get; init; } = 1;
    public int Patience { get; init; } = 2048;

    public TorchSharp.torch.ScalarType ScalarType => DefaultDtype switch
    {
        "float64" => TorchSharp.torch.ScalarType.Float64,
        "float32" => TorchSharp.torch.ScalarType.Float32,
        _ => throw new TrainingException($"default_dtype '{DefaultDtype}' (use float64 or float32)"),
    };

    /// <summary>The epoch stage two starts at: start_swa, or mace-torch's default ¾ of the epochs.</summary>
    public int SwaStart => StartSwa ?? Math.Max(1, MaxNumEpochs / 4 * 3);

    /// <summary>hidden_irreps from num_channels and max_L when both are given (channels × 0e + 1o + 2e ...).</summary>
    public string ResolvedHiddenIrreps => NumChannels is int c && MaxL is int l
        ? string.Join(" + ", Enumerable.Range(0, l + 1).Select(k => $"{c}x{k}{(k % 2 == 0 ? 'e' : 'o')}"))
        : HiddenIrreps;

    public LossKind LossKind => Loss switch
    {
        "weighted" or "ef" or "energy_forces" => LossKind.Weighted,
        "stress" => LossKind.Stress,
        "virials" => LossKind.Virials,
        "huber" => LossKind.Huber,
        _ => throw new TrainingException($"loss '{Loss}' (supported: weighted, stress, virials, huber)"),
    };

    /// <summary>Checks the options a run cannot start without, naming the first bad one.</summary>
    public void Validate()
    {
        _ = ScalarType; _ = LossKind;
        if (BatchSize < 1 || ValidBatchSize < 1) throw new TrainingException("batch_size and valid_batch_size must be at least 1");
        if (MaxNumEpochs < 1) throw new TrainingException("max_num_epochs must be at least 1");
        if (!(Lr > 0) || !(SwaLr > 0)) throw new TrainingException("lr and swa_lr must be positive");
        if (EvalInterval < 1) throw new TrainingException("eval_interval must be at least 1");
        if (!(EmaDecay is > 0 and < 1)) throw new TrainingException("ema_decay must lie between 0 and 1");
        if (ClipGrad is double c && !(c > 0)) throw new TrainingException("clip_grad must be positive (or null for none)");
    }
}
