using MDEngine.ML.Graphs;
using MDEngine.Potentials;
using MDEngine.Potentials.Formats;
using static TorchSharp.torch;

namespace MDEngine.ML.TorchScript;

/// <summary>
/// Potential specifications for deployed TorchScript models: a file ending in <c>.pt</c>, <c>.pth</c> or <c>.pt2</c>
/// that is not a pickle, or a <c>.model</c> file that is a TorchScript archive (the family told from the file), or
/// <c>torchscript:FILE[,format=sevennet|nequip|mace|mace-lammps][,device=..][,threads=..]</c>. The precision is the
/// file's (see <see cref="TorchScriptLoader"/>).
/// </summary>
public sealed class TorchScriptSpec : PotentialFormat
{
    public override string Name => "torchscript";
    public override string Help => "a deployed TorchScript model (.pt/.pth/.pt2/.model, or torchscript:FILE[,format=..,device=..,threads=..])";
    public override Potential? TryCreate(string spec) => TryParse(spec);

    public const string Prefix = "torchscript";
    private static readonly string[] Extensions = [".pt", ".pth", ".pt2", ".model"];
    /// <summary>The potential a TorchScript specification names, or null when the specification is not one (a file of
    /// another extension, or a pickled PyTorch file that another family may read).</summary>
    public static Potential? TryParse(string spec)
    {
        bool prefixed = ModelSpec.HasPrefix(spec, Prefix);
        string path = spec.Split(',')[0].Trim();
        if (!prefixed)
        {
            if (!Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase))) return null;
            if (IsOtherFamilysSpecification(path)) return null;
            if (!File.Exists(path)) throw new FileNotFoundException($"model file '{path}' not found", path);
            // .model is mace-torch's extension for pickled models as well: only a TorchScript one is ours. Of the
            // other extensions, a pickle is left to the families that read pickles.
            if (path.EndsWith(".model", StringComparison.OrdinalIgnoreCase) ? !TorchFileKind.IsTorchScriptOrPackage(path) : IsPickle(path)) return null;
        }
        var parsed = ModelSpec.Parse(spec, Prefix, "format");
        ScalarType? dtype = HasSharedKey(spec, "dtype") ? parsed.Torch.DType : null;
        return parsed.Load(() =>
        {
            TorchScriptKind? kind = parsed.Option("format") is { } format ? TorchScriptKinds.Parse(format) : null;
            return new GraphPotential(TorchScriptLoader.Open(parsed.Path, kind, parsed.Torch, dtype));
        });
    }

    /// <summary>True for <c>family:FILE.model</c> (a MACE specification with options) when no file has that name: a
    /// family prefix (two or more letters, so not a drive letter) is not part of a path.</summary>
    private static bool IsOtherFamilysSpecification(string path)
    {
        int colon = path.IndexOf(':');
        return colon > 1 && path[..colon].All(char.IsAsciiLetterOrDigit) && !File.Exists(path);
    }

    private static bool IsPickle(string path)
    {
        try { return TorchFileKind.Of(File.ReadAllBytes(path)) == TorchFileKind.Kind.Pickle; }
        catch (InvalidDataException) { return false; }
    }

    private static bool HasSharedKey(string spec, string key) =>
        spec.Split(',').Skip(1).Any(p => p.Trim().StartsWith(key + "=", StringComparison.OrdinalIgnoreCase));
}
