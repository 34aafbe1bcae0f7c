using System.Text.RegularExpressions;
using MDEngine.ML.E3nn;
using MDEngine.ML.IO;
using MDEngine.ML.Mace;
using static TorchSharp.torch;

namespace MDEngine.ML.Training;

/// <summary>
/// A MACE model whose weights are trainable parameters: leaf tensors that require grad, named as mace-torch's
/// <c>named_parameters</c>, read by a <see cref="MaceModel"/> at every forward pass in the torch formulation. The
/// constants of the model (E0s, scale and shift, U matrices, Wigner blocks, Bessel frequencies, avg_num_neighbors)
/// stay fixed, as they are buffers in mace-torch. Some parameters can be frozen (kept constant).
/// </summary>
public sealed partial class TrainableMace
{
    private readonly Dictionary<string, SafeTensor> _constants;

    public MaceConfig Config { get; }
    public TensorOptions Options { get; }
    /// <summary>The trainable parameters in the model file's order.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Parameters { get; }
    /// <summary>Atomic number → the model's species index.</summary>
    public IReadOnlyDictionary<int, int> SpeciesIndex => Config.AtomicNumbers.Select((z, i) => (z, i)).ToDictionary(t => t.z, t => t.i);
    /// <summary>The network that reads <see cref="Parameters"/>.</summary>
    public MaceModel Model { get; }

    /// <param name="frozen">Names of weights kept constant (fine-tuning a part of a model).</param>
    public TrainableMace(MaceConfig config, IReadOnlyDictionary<string, SafeTensor> weights, TensorOptions options, Func<string, bool>? frozen = null)
    {
        Config = config; Options = options;
        _constants = new Dictionary<string, SafeTensor>(weights, StringComparer.Ordinal);
        var parameters = new List<(string, Tensor)>();
        foreach (var (name, value) in weights)
        {
            if (!IsParameter(name) || value.Data.Length == 0 || (frozen?.Invoke(name) ?? false)) continue;
            var p = tensor(value.Data, value.Shape, ScalarType.Float64).to(options.DType, options.Device).detach().requires_grad_(true);
            parameters.Add((name, p));
        }
        Parameters = parameters;
        Model = new MaceModel(config, weights, options, denseContraction: true, parameters: parameters.ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal));
    }

    /// <summary>Whether mace-torch holds this state-dict entry as a parameter (not a buffer): the weights of the
    /// linear maps, radial networks, self-connections, symmetric contractions and readouts.</summary>
    public static bool IsParameter(string name) =>
        !name.Contains("._w3j_", StringComparison.Ordinal) && !name.EndsWith(".bessel_weights", StringComparison.Ordinal)
        && ParameterName().IsMatch(name);

    [GeneratedRegex(@"(\.weight|\.weights_max|\.weights\.\d+)$")]
    private static partial Regex ParameterName();

    /// <summary>The current weights (parameters and constants) as a state dict in float64.</summary>
    public Dictionary<string, SafeTensor> StateDict()
    {
        var result = new Dictionary<string, SafeTensor>(_constants, StringComparer.Ordinal);
        foreach (var (name, p) in Parameters)
            result[name] = new SafeTensor("F64", p.shape, p.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray());
        return result;
    }

    /// <summary>Copies values into the parameters (a checkpoint, or EMA weights), without recording a gradient.</summary>
    public void Load(IReadOnlyDictionary<string, Tensor> values)
    {
        using var _ = no_grad();
        foreach (var (name, p) in Parameters) p.copy_(values[name]);
    }

    /// <summary>A copy of the current parameter values (detached).</summary>
    public Dictionary<string, Tensor> Snapshot() =>
        Parameters.ToDictionary(p => p.Name, p => p.Value.detach().clone(), StringComparer.Ordinal);

    /// <summary>Saves the model in MDEngine's format (<see cref="MacePotential.Load"/>): the hyperparameters as JSON
    /// and the state dict next to it as .safetensors. Written to temporary files first, so a failed write leaves no
    /// half model.</summary>
    public void Save(string modelJsonPath)
    {
        string weightsPath = Path.ChangeExtension(modelJsonPath, ".safetensors");
        string tmpJson = modelJsonPath + ".tmp", tmpWeights = weightsPath + ".tmp";
        SafeTensors.Write(tmpWeights, StateDict());
        File.WriteAllText(tmpJson, Config.ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        File.Move(tmpWeights, weightsPath, overwrite: true);
        File.Move(tmpJson, modelJsonPath, overwrite: true);
    }
}
