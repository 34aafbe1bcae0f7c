using System.Globalization;
using System.Runtime.InteropServices;
using MDEngine.ML.Graphs;
using MDEngine.Structures;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.TorchScript;

/// <summary>
/// Opens a deployed TorchScript file as a <see cref="TorchScriptModel"/>: reads the archive, tells (or is told) its
/// family, adds the family's tensor-only entry method to the top-level class and hands the bytes to libtorch's loader
/// on the chosen device. The precision is the file's: a <c>dtype=</c> that contradicts it is refused rather than
/// silently ignored.
/// </summary>
public sealed class TorchScriptLoader
{
    private readonly TorchSettings _settings;
    private readonly ScalarType? _requestedDType;

    private TorchScriptLoader(TorchSettings settings, ScalarType? requestedDType)
    {
        _settings = settings; _requestedDType = requestedDType;
    }

    /// <param name="kind">The family, or null to detect it from the file.</param>
    /// <param name="requestedDType">A precision the user asked for, or null to take the file's.</param>
    public static TorchScriptModel Open(string path, TorchScriptKind? kind = null, TorchSettings? settings = null, ScalarType? requestedDType = null)
    {
        var archive = TorchScriptArchive.Read(path);
        var loader = new TorchScriptLoader(settings ?? new TorchSettings(), requestedDType);
        var family = kind ?? TorchScriptKinds.Detect(archive);
        TorchScriptKinds.RequireCallable(archive, family);
        return family switch
        {
            TorchScriptKind.SevenNet => SevenNetModel.Create(path, archive, loader),
            TorchScriptKind.Nequip => NequipModel.Create(path, archive, loader),
            var mace => MaceScriptModel.Create(path, archive, loader, mace),
        };
    }

    /// <summary>Loads the archive with <paramref name="methods"/> added, on the settings' device.</summary>
    internal (jit.ScriptModule Module, Device Device) Load(TorchScriptArchive archive, string methods, ScalarType? fileDType)
    {
        if (fileDType is { } dtype) CheckPrecision(dtype);
        var device = _settings.Apply();
        var bytes = archive.WithMethods(methods);
        try
        {
            var module = jit.load(bytes, device.type, device.index);
            module.eval();
            return (module, device);
        }
        catch (ExternalException e)
        {
            throw new ModelException($"libtorch cannot load it as this kind of model ({TorchScriptModel.FirstLines(e.Message)}); " +
                $"its forward is {archive.ForwardSignature}");
        }
    }

    internal void CheckPrecision(ScalarType fileDType)
    {
        if (_requestedDType is { } requested && requested != fileDType)
            throw new ModelException($"the model is {Name(fileDType)} and runs in the precision it was saved in; drop dtype={Name(requested)}");
    }

    private static string Name(ScalarType t) => t == ScalarType.Float32 ? "float32" : t == ScalarType.Float64 ? "float64" : t.ToString();

    /// <summary>A number stored as metadata text.</summary>
    internal static double Number(IReadOnlyDictionary<string, string> extra, string key) =>
        extra.TryGetValue(key, out var text) ? Number(key, text) : throw new ModelException($"the model's metadata has no '{key}'");

    internal static double Number(string key, string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v > 0
            ? v : throw new ModelException($"the model's '{key}' is '{text}', not a positive number");

    /// <summary>The model's species order: element symbols separated by spaces, position = species index.</summary>
    internal static int[] Elements(IReadOnlyDictionary<string, string> extra, string key)
    {
        if (!extra.TryGetValue(key, out var text)) throw new ModelException($"the model's metadata has no '{key}'");
        var symbols = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (symbols.Length == 0) throw new ModelException($"the model's '{key}' names no species");
        return symbols.Select(s => Element.TryFromSymbol(s, out var element)
            ? element.Z
            : throw new ModelException($"species '{s}' in '{key}' is not an element symbol (MDEngine maps species by element)")).ToArray();
    }
}
