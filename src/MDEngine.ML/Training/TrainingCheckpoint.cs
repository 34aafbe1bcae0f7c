using System.Text.Json;
using MDEngine.ML.IO;
using static TorchSharp.torch;

namespace MDEngine.ML.Training;

/// <summary>
/// The state of a run after an epoch, enough to continue it bit for bit: parameters, the optimiser's moments and step,
/// learning rates, the scheduler, the EMA, the best model so far and the history. Two files: NAME.checkpoint.safetensors
/// (the tensors, float64, exact for float32 runs too) and NAME.checkpoint.json (the rest), each written to a temporary
/// file and renamed, the JSON last, so an interrupted write leaves the previous checkpoint readable.
/// </summary>
public sealed class TrainingCheckpoint
{
    public required int NextEpoch { get; init; }
    public required long OptimizerStep { get; init; }
    public required double[] LearningRates { get; init; }
    public required double SchedulerBest { get; init; }
    public required int SchedulerBadEpochs { get; init; }
    public required long EmaUpdates { get; init; }
    public required double LowestLoss { get; init; }
    public required double ValidLoss { get; init; }
    public required int PatienceCounter { get; init; }
    public required bool StageTwoStarted { get; init; }
    public required int BestEpoch { get; init; }
    public required List<EpochRecord> History { get; init; }
    /// <summary>param/NAME, opt/KEY, ema/NAME, best/NAME.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public Dictionary<string, Tensor> Tensors { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string PathOf(string directory, string name) => Path.Combine(directory, $"{name}.checkpoint.json");

    public void Save(string jsonPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
        string tensorsPath = Path.ChangeExtension(jsonPath, ".safetensors");
        SafeTensors.Write(tensorsPath + ".tmp", Tensors.Select(kv => KeyValuePair.Create(kv.Key,
            new SafeTensor("F64", kv.Value.shape, kv.Value.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray()))));
        File.WriteAllText(jsonPath + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(tensorsPath + ".tmp", tensorsPath, overwrite: true);
        File.Move(jsonPath + ".tmp", jsonPath, overwrite: true);
    }

    public static TrainingCheckpoint Load(string jsonPath, ScalarType dtype)
    {
        try
        {
            var state = JsonSerializer.Deserialize<TrainingCheckpoint>(File.ReadAllText(jsonPath), Json)
                ?? throw new TrainingException($"{jsonPath}: empty checkpoint");
            var tensors = SafeTensors.Read(Path.ChangeExtension(jsonPath, ".safetensors"));
            foreach (var (name, t) in tensors) state.Tensors[name] = tensor(t.Data, t.Shape, ScalarType.Float64).to(dtype);
            return state;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
        {
            throw new TrainingException($"{jsonPath}: unreadable checkpoint ({e.Message})");
        }
    }
}
