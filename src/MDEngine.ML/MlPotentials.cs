using MDEngine.ML.Mace;
using MDEngine.ML.TensorNet;
using MDEngine.ML.TorchScript;
using MDEngine.Potentials.Formats;

namespace MDEngine.ML;

/// <summary>The potential formats of every ML model family, for a program to register at start-up in its
/// <see cref="PotentialRegistry"/>: <c>PotentialRegistry.Classical().Add(MlPotentials.Formats)</c>.</summary>
public static class MlPotentials
{
    /// <summary>The families' formats in order of precedence. TorchScript first: it claims a .pt/.pth/.model file
    /// only when it is a TorchScript archive, and leaves pickled .model files (torch.save) to MACE's reader, which
    /// takes every .model it is given.</summary>
    public static IReadOnlyList<PotentialFormat> Formats => [new TorchScriptSpec(), new MaceSpec(), new TensorNetSpec()];

    /// <summary>A registry of every classical format and every ML family: what the command line knows.</summary>
    public static PotentialRegistry Registry() => PotentialRegistry.Classical().Add(Formats);
}
