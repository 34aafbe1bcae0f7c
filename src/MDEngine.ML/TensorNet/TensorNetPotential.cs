using MDEngine.ML.Graphs;
using MDEngine.ML.IO;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// A matgl TensorNet potential (e.g. TensorNet-MatPES-PBE-v2025.1-PES) as an interatomic potential: the
/// <see cref="TensorNetModel"/> behind the shared <see cref="GraphPotential"/> adapter. Unlike matgl, which treats a
/// structure that is not periodic in all three directions as a molecule, slabs and wires keep their periodic images
/// along their periodic axes (the neighbor list follows the structure's pbc).
/// </summary>
public sealed class TensorNetPotential(TensorNetModel model) : GraphPotential(model)
{
    public new TensorNetModel Model => model;

    /// <summary>
    /// Loads a matgl model folder as matgl saves it: <c>model.json</c> (the class and its init_args) and
    /// <c>state.pt</c> (torch.save'd state dict). <paramref name="path"/> is the folder or its model.json.
    /// </summary>
    public static TensorNetPotential Load(string path, TorchSettings? settings = null)
    {
        settings ??= new TorchSettings { DType = TorchSharp.torch.ScalarType.Float32 };
        string directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        string modelJson = Path.Combine(directory, "model.json"), statePt = Path.Combine(directory, "state.pt");
        if (!File.Exists(modelJson)) throw new ModelException($"no model.json in '{directory}' (matgl saves a model as model.json and state.pt in one folder)");
        if (!File.Exists(statePt)) throw new ModelException($"no state.pt in '{directory}' (matgl saves a model as model.json and state.pt in one folder)");
        var config = TensorNetConfig.Load(modelJson);
        var state = TorchStateDict.Read(statePt);
        var device = settings.Apply();
        var model = new TensorNetModel(config, state, settings.DType, device, $"TensorNet {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)))}");
        return new TensorNetPotential(model);
    }
}
