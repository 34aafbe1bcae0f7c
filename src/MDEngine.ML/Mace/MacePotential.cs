using MDEngine.ML.E3nn;
using MDEngine.ML.Graphs;
using MDEngine.ML.IO;

namespace MDEngine.ML.Mace;

/// <summary>
/// A MACE model (mace-torch's ScaleShiftMACE) as an interatomic potential: the <see cref="MaceModel"/> network behind
/// the shared <see cref="GraphPotential"/> adapter (forces and stress from the edge-vector gradients, batches as one
/// graph).
/// </summary>
public sealed class MacePotential(MaceModel model, string name = "MACE") : GraphPotential(model, name)
{
    public new MaceModel Model => model;
    public MaceConfig Config => model.Config;

    /// <summary>
    /// Loads a model written by tools/mace_export.py: the hyperparameters (JSON) and, next to it with the same name
    /// and the extension .safetensors (or as named by the JSON key "weights"), the state_dict.
    /// </summary>
    public static MacePotential Load(string modelJsonPath, MaceOptions? options = null)
    {
        options ??= new MaceOptions();
        if (!File.Exists(modelJsonPath)) throw new FileNotFoundException($"MACE model file not found: {modelJsonPath}", modelJsonPath);
        var config = MaceConfig.Load(modelJsonPath);
        string weightsPath = WeightsPath(modelJsonPath);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"MACE weights file not found: {weightsPath}", weightsPath);
        Dictionary<string, SafeTensor> weights;
        try { weights = SafeTensors.Read(weightsPath); }
        catch (InvalidDataException e) { throw new MaceModelException($"weights file {Path.GetFileName(weightsPath)}: {e.Message}"); }
        var device = options.Apply();
        var network = new MaceModel(config, weights, new TensorOptions(options.DType, device), options.DenseContraction, config.HeadIndex(options.Head), options.RadialSplinePoints);
        return new MacePotential(network, $"MACE {Path.GetFileNameWithoutExtension(modelJsonPath)}");
    }

    /// <summary>Loads a mace-torch <c>.model</c> file directly (see <see cref="MaceModelFile"/>).</summary>
    public static MacePotential LoadModelFile(string path, MaceOptions? options = null)
    {
        options ??= new MaceOptions();
        if (!File.Exists(path)) throw new FileNotFoundException($"MACE model file not found: {path}", path);
        var (config, weights) = MaceModelFile.Read(path);
        var device = options.Apply();
        var network = new MaceModel(config, weights, new TensorOptions(options.DType, device), options.DenseContraction, config.HeadIndex(options.Head), options.RadialSplinePoints);
        return new MacePotential(network, $"MACE {Path.GetFileNameWithoutExtension(path)}");
    }

    private static string WeightsPath(string modelJsonPath)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(modelJsonPath));
        string? named = node?["weights"]?.GetValue<string>();
        string dir = Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!;
        return named is not null ? Path.Combine(dir, named) : Path.ChangeExtension(modelJsonPath, ".safetensors");
    }
}
