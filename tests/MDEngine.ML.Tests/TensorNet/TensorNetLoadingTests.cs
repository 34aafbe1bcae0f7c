using System.Collections;
using MDEngine.IO;
using MDEngine.ML.Graphs;
using MDEngine.ML.IO;
using MDEngine.ML.TensorNet;
using MDEngine.Potentials;
using TorchSharp.PyBridge;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.TensorNet;

/// <summary>
/// Loading matgl model folders: the specification forms, the default precision, and every way a folder can be
/// unusable reported as bad input naming the file and the problem (never a raw runtime error).
/// </summary>
public sealed class TensorNetLoadingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("tensornet-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string ModelJson => Path.Combine(TensorNetFixture.Directory, "model.json");
    private static string StatePt => Path.Combine(TensorNetFixture.Directory, "state.pt");

    /// <summary>A model folder with the real model.json and a state.pt written by <paramref name="writeState"/>.</summary>
    private string Folder(Action<string> writeState, string? modelJson = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, Guid.NewGuid().ToString("N")[..8])).FullName;
        File.WriteAllText(Path.Combine(folder, "model.json"), modelJson ?? File.ReadAllText(ModelJson));
        writeState(Path.Combine(folder, "state.pt"));
        return folder;
    }

    /// <summary>A folder whose state.pt is the real state dict changed by <paramref name="edit"/>, re-saved in torch.save's format.</summary>
    private string EditedState(Action<Hashtable> edit) => Folder(path =>
    {
        var state = PyTorchUnpickler.UnpickleStateDict(File.OpenRead(StatePt));
        edit(state);
        using var stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, state, leaveOpen: true);
    });

    private InputException Refused(string spec)
    {
        var e = Assert.Throws<InputException>(() => MlPotentials.Registry().Parse(spec));
        output.WriteLine(e.Message);
        return e;
    }

    [SkippableFact]
    public void FolderAndPrefixedSpecificationsLoadWithFloat32ByDefault()
    {
        TensorNetFixture.RequireModel();
        var plain = Assert.IsType<TensorNetPotential>(MlPotentials.Registry().Parse(TensorNetFixture.Directory + "/"));
        Assert.Equal(ScalarType.Float32, plain.DType);
        Assert.Equal(89, plain.Model.AtomicNumbers.Count);
        Assert.Equal(5.0, plain.Cutoff);
        var viaJson = Assert.IsType<TensorNetPotential>(MlPotentials.Registry().Parse(ModelJson));
        Assert.Equal(ScalarType.Float32, viaJson.DType);
        var prefixed = Assert.IsType<TensorNetPotential>(MlPotentials.Registry().Parse($"tensornet:{TensorNetFixture.Directory},dtype=float64,device=cpu"));
        Assert.Equal(ScalarType.Float64, prefixed.DType);
        // matgl's element list, not Z − 1: Pu (Z = 94) is its 89th element.
        Assert.Equal(94, prefixed.Model.AtomicNumbers[88]);
    }

    [SkippableFact]
    public void StateDictReaderGivesEveryTensorWithItsShape()
    {
        TensorNetFixture.RequireModel();
        var state = TorchStateDict.Read(StatePt);
        Assert.Equal(67, state.Count);
        Assert.Equal([128L, 256L], state["model.tensor_embedding.emb2.weight"].Shape);
        Assert.Equal("F64", state["element_refs.property_offset"].DType);
        Assert.Equal(-1.11723232, state["element_refs.property_offset"].Data[0], 1e-8);
        // The 845,391 numbers matgl quotes: the network's 837,378 weights plus the statistics, the element
        // references and AtomRef's one-hot table.
        Assert.Equal(845_391, state.Values.Sum(t => t.Count));
    }

    [SkippableFact]
    public void MissingStateFileIsBadInput()
    {
        TensorNetFixture.RequireModel();
        var folder = Folder(_ => { });
        Assert.Contains("state.pt", Refused($"tensornet:{folder}").Message);
    }

    [SkippableFact]
    public void TruncatedOrForeignStateFileIsBadInput()
    {
        TensorNetFixture.RequireModel();
        var bytes = File.ReadAllBytes(StatePt);
        var truncated = Folder(path => File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]));
        Assert.Contains("state.pt", Refused($"tensornet:{truncated}").Message);
        var text = Folder(path => File.WriteAllText(path, "not a torch file"));
        Assert.Contains("not a zip archive", Refused($"tensornet:{text}").Message);
    }

    [SkippableFact]
    public void MissingMisshapenOrNonFiniteWeightsAreBadInput()
    {
        TensorNetFixture.RequireModel();
        var missing = EditedState(s => s.Remove("model.layers.1.linears_tensor.4.weight"));
        Assert.Contains("'model.layers.1.linears_tensor.4.weight'", Refused($"tensornet:{missing}").Message);
        var misshapen = EditedState(s => s["model.linear.weight"] = zeros(128, 383));
        Assert.Contains("shape [128, 383], expected [128, 384]", Refused($"tensornet:{misshapen}").Message);
        var nan = EditedState(s => ((Tensor)s["model.tensor_embedding.emb.weight"])[3, 5] = float.NaN);
        Assert.Contains("NaN", Refused($"tensornet:{nan}").Message);
    }

    [SkippableFact]
    public void OtherMatglModelsAreNotTensorNet()
    {
        TensorNetFixture.RequireModel();
        string json = File.ReadAllText(ModelJson).Replace("\"@class\": \"TensorNet\"", "\"@class\": \"M3GNet\"");
        var folder = Folder(path => File.Copy(StatePt, path), json);
        Assert.Null(TensorNetSpec.TryParse(folder));  // not claimed without the prefix
        Assert.Contains("not a TensorNet potential", Refused($"tensornet:{folder}").Message);
        var broken = Folder(path => File.Copy(StatePt, path), "{ \"@class\": ");
        Assert.Contains("model.json", Refused($"tensornet:{broken}").Message);
        var intensive = Folder(path => File.Copy(StatePt, path), File.ReadAllText(ModelJson).Replace("\"is_intensive\": false", "\"is_intensive\": true"));
        Assert.Contains("intensive", Refused($"tensornet:{intensive}").Message);
    }

    [SkippableFact]
    public void UnknownOptionIsBadInput()
    {
        TensorNetFixture.RequireModel();
        Assert.Contains("unknown tensornet option", Refused($"tensornet:{TensorNetFixture.Directory},head=x").Message);
    }
}
