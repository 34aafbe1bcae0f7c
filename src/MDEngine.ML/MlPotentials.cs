using MDEngine.ML.Mace;
using MDEngine.ML.TensorNet;
using MDEngine.ML.TorchScript;
using MDEngine.Potentials;

namespace MDEngine.ML;

/// <summary>The one place that makes every ML model family's potential specifications known to
/// <see cref="PotentialSpec"/>; a program calls it once at start-up.</summary>
public static class MlPotentials
{
    public static void Register()
    {
        // TorchScript first: it claims a .pt/.pth/.model file only when it is a TorchScript archive, and leaves
        // pickled .model files (torch.save) to MACE's reader, which takes every .model it is given.
        TorchScriptSpec.Register();   // deployed TorchScript files / `torchscript:...`
        MaceSpec.Register();   // `model.json` / `mace:...`
        TensorNetSpec.Register();   // a matgl TensorNet folder / `tensornet:...`
    }
}
