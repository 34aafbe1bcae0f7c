using MDEngine.ML.Mace;
using MDEngine.ML.TorchScript;
using MDEngine.Potentials;

namespace MDEngine.ML;

/// <summary>The one place that makes every ML model family's potential specifications known to
/// <see cref="PotentialSpec"/>; a program calls it once at start-up.</summary>
public static class MlPotentials
{
    public static void Register()
    {
        MaceSpec.Register();   // `model.json` / `mace:...`
        TorchScriptSpec.Register();   // deployed TorchScript files / `torchscript:...`
    }
}
