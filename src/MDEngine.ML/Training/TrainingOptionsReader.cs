using System.Globalization;
using System.Text.Json;

namespace MDEngine.ML.Training;

/// <summary>
/// <see cref="TrainingOptions"/> from key–value pairs under mace-torch's run_train names (a YAML config file's
/// top-level keys, values as text; lists as YAML lists or mace-torch's strings "[64, 64, 64]", maps as YAML maps or
/// Python/JSON dict strings). mace-torch options that do not change the result on this engine (device, logging,
/// wandb, data loader workers) are accepted and listed in <see cref="Ignored"/>; an unknown key is an error.
/// </summary>
public sealed class TrainingOptionsReader(string source)
{
    private static readonly HashSet<string> IgnoredKeys =
    [
        "device", "log_dir", "log_level", "downloads_dir", "work_dir", "distributed", "num_workers", "pin_memory", "save_cpu", "keep_checkpoints",
        "save_all_checkpoints", "error_table", "wandb", "wandb_dir", "wandb_project", "wandb_entity", "wandb_name", "wandb_log_hypers",
        "compute_avg_num_neighbors", "compute_forces", "compute_stress", "enable_cueq", "plot", "plot_frequency",
    ];

    public List<string> Ignored { get; } = [];

    public TrainingOptions Read(IReadOnlyDictionary<string, object?> values)
    {
        var o = new TrainingOptions { TrainFile = Text(values, "train_file") ?? throw Error("train_file is required") };
        string? energyKey = null, forcesKey = null, stressKey = null, virialsKey = null;
        IReadOnlyDictionary<string, double>? typeWeights = null;
        foreach (var (key, value) in values)
        {
            if (value is null) continue;
            if (IgnoredKeys.Contains(key)) { Ignored.Add(key); continue; }
            o = key switch
            {
                "train_file" => o,
                "name" => o with { Name = Str(key, value) },
                "seed" => o with { Seed = Int(key, value) },
                "model_dir" => o with { ModelDir = Str(key, value) },
                "checkpoints_dir" => o with { CheckpointsDir = Str(key, value) },
                "results_dir" => o with { ResultsDir = Str(key, value) },
                "default_dtype" => o with { DefaultDtype = Str(key, value) },
                "restart_latest" => o with { RestartLatest = Bool(key, value) },
                "valid_file" => o with { ValidFile = Str(key, value) },
                "valid_fraction" => o with { ValidFraction = Num(key, value) },
                "test_file" => o with { TestFile = Str(key, value) },
                "energy_key" => Set(o, () => energyKey = Str(key, value)),
                "forces_key" => Set(o, () => forcesKey = Str(key, value)),
                "stress_key" => Set(o, () => stressKey = Str(key, value)),
                "virials_key" => Set(o, () => virialsKey = Str(key, value)),
                "config_type_weights" => Set(o, () => typeWeights = Map(key, value).ToDictionary(kv => kv.Key, kv => kv.Value)),
                "E0s" => value is string s && s is "average" or "foundation" or "estimated"
                    ? o with { E0s = s == "estimated" ? "average" : s }
                    : o with { E0sGiven = Map(key, value).ToDictionary(kv => int.TryParse(kv.Key, CultureInfo.InvariantCulture, out int z) ? z : throw Error($"E0s: '{kv.Key}' is not an atomic number"), kv => kv.Value) },
                "foundation_model" => o with { FoundationModel = Str(key, value) },
                "constants_from" => o with { ConstantsFrom = Str(key, value) },
                "freeze" => o with { Freeze = Int(key, value) },
                "model" => Str(key, value) is "MACE" or "ScaleShiftMACE" ? o : throw Error($"model '{value}' (supported: MACE, ScaleShiftMACE)"),
                "optimizer" => Str(key, value) is "adam" ? o : throw Error($"optimizer '{value}' (supported: adam)"),
                "scheduler" => Str(key, value) is "ReduceLROnPlateau" ? o : throw Error($"scheduler '{value}' (supported: ReduceLROnPlateau)"),
                "scaling" => Str(key, value) is "rms_forces_scaling" ? o : throw Error($"scaling '{value}' (supported: rms_forces_scaling)"),
                "radial_type" => Str(key, value) is "bessel" ? o : throw Error($"radial_type '{value}' (supported: bessel)"),
                "gate" => Str(key, value) is "silu" ? o : throw Error($"gate '{value}' (supported: silu)"),
                "r_max" => o with { RMax = Num(key, value) },
                "num_radial_basis" => o with { NumRadialBasis = Int(key, value) },
                "num_cutoff_basis" => o with { NumCutoffBasis = Int(key, value) },
                "max_ell" => o with { MaxEll = Int(key, value) },
                "correlation" => o with { Correlation = Int(key, value) },
                "num_interactions" => o with { NumInteractions = Int(key, value) },
                "num_channels" => o with { NumChannels = Int(key, value) },
                "max_L" => o with { MaxL = Int(key, value) },
                "hidden_irreps" => o with { HiddenIrreps = Str(key, value) },
                "MLP_irreps" => o with { MlpIrreps = Str(key, value) },
                "radial_MLP" => o with { RadialMlp = List(key, value).Select(v => (int)v).ToArray() },
                "interaction" => o with { Interaction = Str(key, value) },
                "interaction_first" => o with { InteractionFirst = Str(key, value) },
                "avg_num_neighbors" => o with { AvgNumNeighbors = Num(key, value) },
                "loss" => o with { Loss = Str(key, value) },
                "energy_weight" => o with { EnergyWeight = Num(key, value) },
                "forces_weight" => o with { ForcesWeight = Num(key, value) },
                "stress_weight" or "virials_weight" => o with { StressWeight = Num(key, value) },
                "swa_energy_weight" => o with { SwaEnergyWeight = Num(key, value) },
                "swa_forces_weight" => o with { SwaForcesWeight = Num(key, value) },
                "swa_stress_weight" or "swa_virials_weight" => o with { SwaStressWeight = Num(key, value) },
                "huber_delta" => o with { HuberDelta = Num(key, value) },
                "batch_size" => o with { BatchSize = Int(key, value) },
                "valid_batch_size" => o with { ValidBatchSize = Int(key, value) },
                "max_num_epochs" => o with { MaxNumEpochs = Int(key, value) },
                "lr" => o with { Lr = Num(key, value) },
                "swa_lr" => o with { SwaLr = Num(key, value) },
                "weight_decay" => o with { WeightDecay = Num(key, value) },
                "amsgrad" => o with { Amsgrad = Bool(key, value) },
                "beta" => o with { Beta = Num(key, value) },
                "lr_factor" => o with { LrFactor = Num(key, value) },
                "scheduler_patience" => o with { SchedulerPatience = Int(key, value) },
                "clip_grad" => o with { ClipGrad = value is string c && c is "None" or "null" ? null : Num(key, value) },
                "swa" or "stage_two" => o with { Swa = Bool(key, value) },
                "start_swa" or "start_stage_two" => o with { StartSwa = Int(key, value) },
                "ema" => o with { Ema = Bool(key, value) },
                "ema_decay" => o with { EmaDecay = Num(key, value) },
                "eval_interval" => o with { EvalInterval = Int(key, value) },
                "patience" => o with { Patience = Int(key, value) },
                _ => throw Error($"unknown option '{key}'"),
            };
        }
        var keys = o.Keys;
        o = o with
        {
            Keys = keys with
            {
                EnergyKey = energyKey ?? keys.EnergyKey, ForcesKey = forcesKey ?? keys.ForcesKey, StressKey = stressKey ?? keys.StressKey,
                VirialsKey = virialsKey ?? keys.VirialsKey, ConfigTypeWeights = typeWeights ?? keys.ConfigTypeWeights,
            },
        };
        o.Validate();
        return o;
    }

    private static TrainingOptions Set(TrainingOptions o, Action assign) { assign(); return o; }

    private TrainingException Error(string message) => new($"{source}: {message}");

    private static string? Text(IReadOnlyDictionary<string, object?> values, string key) => values.TryGetValue(key, out var v) ? v?.ToString() : null;

    private string Str(string key, object value) => value as string ?? throw Error($"'{key}' must be text");

    private double Num(string key, object value) =>
        value is string s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
            : throw Error($"'{key}' = '{value}' is not a finite number");

    private int Int(string key, object value) =>
        value is string s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : throw Error($"'{key}' = '{value}' is not an integer");

    private bool Bool(string key, object value) => value switch
    {
        string s when s is "true" or "True" or "yes" => true,
        string s when s is "false" or "False" or "no" => false,
        _ => throw Error($"'{key}' = '{value}' is not true or false"),
    };

    /// <summary>A YAML list, or mace-torch's list string "[64, 64, 64]".</summary>
    private double[] List(string key, object value) => value switch
    {
        IEnumerable<object?> items when value is not string => items.Select(v => Num(key, v ?? "")).ToArray(),
        string s => Parse<double[]>(key, s),
        _ => throw Error($"'{key}' must be a list of numbers"),
    };

    /// <summary>A YAML map, or a Python/JSON dict string such as "{1: -13.6, 8: -2042.9}" or '{"Default": 1.0}'.</summary>
    private Dictionary<string, double> Map(string key, object value) => value switch
    {
        IDictionary<object, object?> map => map.ToDictionary(kv => kv.Key.ToString()!, kv => Num(key, kv.Value ?? "")),
        string s => Parse<Dictionary<string, double>>(key, System.Text.RegularExpressions.Regex.Replace(s.Replace('\'', '"'), @"([{,]\s*)(-?\d+)\s*:", "$1\"$2\":")),
        _ => throw Error($"'{key}' must be a map"),
    };

    private T Parse<T>(string key, string json)
    {
        try { return JsonSerializer.Deserialize<T>(json) ?? throw Error($"'{key}' is empty"); }
        catch (JsonException) { throw Error($"'{key}' = '{json}' cannot be read"); }
    }
}
