using MDEngine.ML.Graphs;
using MDEngine.ML.IO.Pickle;

namespace MDEngine.ML.IO;

/// <summary>
/// Reads a PyTorch state dict written by <c>torch.save(model.state_dict(), path)</c> (the zip format of PyTorch ≥ 1.6:
/// a pickled dictionary whose tensors point at raw little-endian storages stored beside it) without Python, with the
/// same restricted unpickler that reads whole mace-torch models (<see cref="TorchArchive"/>): a state dict may name
/// only ordered dicts and torch's tensor machinery. Every tensor comes to the host as a <see cref="SafeTensor"/> (the
/// form the safetensors reader gives, so a model loader does not care which file it came from), and every way a file
/// can be unusable becomes a <see cref="ModelException"/> saying what is wrong.
/// </summary>
public static class TorchStateDict
{
    public static Dictionary<string, SafeTensor> Read(string path)
    {
        if (!File.Exists(path)) throw new ModelException($"'{path}' not found");
        object? root;
        try { root = TorchArchive.Load(path, g => g.FullName == "collections.OrderedDict"); }
        catch (InvalidDataException e) { throw new ModelException($"'{path}' is not a readable PyTorch state dict: {e.Message}"); }
        if (root is not PyDict dict) throw new ModelException($"'{path}' does not hold a state dict (a dictionary of tensors)");
        var result = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        foreach (var (key, value) in dict)
            if (key is string name && value is TorchTensorData t) result[name] = t.ToSafeTensor();
        if (result.Count == 0) throw new ModelException($"'{path}' holds no tensors");
        return result;
    }
}
