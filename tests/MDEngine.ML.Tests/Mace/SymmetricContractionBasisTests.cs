using MDEngine.ML.E3nn;
using MDEngine.ML.IO;
using MDEngine.ML.Mace;

namespace MDEngine.ML.Tests.Mace;

/// <summary>The U matrices built from Wigner 3j blocks equal those mace-torch stored in its model files, for every
/// correlation order, output irrep and max_ell the committed models hold.</summary>
public class SymmetricContractionBasisTests
{
    public static TheoryData<string> Models => new()
    {
        "mace/model.safetensors",
        "mace-families/mp0/model.model",
        "mace-families/mpa/model.model",
        "mace-families/off/model.model",
        "mace-families/multihead/model.model",
        "mace-families/newest/model.model",
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void UMatricesEqualTheStoredOnes(string model)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", model);
        var (config, weights) = path.EndsWith(".model", StringComparison.Ordinal)
            ? MaceModelFile.Read(path)
            : (MaceConfig.Load(Path.ChangeExtension(path, ".json")), SafeTensors.Read(path));
        var coupling = new Irreps(Irreps.SphericalHarmonics(config.MaxEll).Select(m => new MulIrrep(1, m.Ir)));
        var hidden = Irreps.Parse(config.HiddenIrreps);
        int compared = 0;
        foreach (var (name, stored) in weights.Where(kv => kv.Key.Contains(".U_matrix_", StringComparison.Ordinal)))
        {
            // products.{i}.symmetric_contractions.contractions.{j}.U_matrix_{nu}: output irrep j of layer i's product.
            var parts = name.Split('.');
            int layer = int.Parse(parts[1]), j = int.Parse(parts[4]), nu = int.Parse(parts[5]["U_matrix_".Length..]);
            var output = layer == config.NumInteractions - 1 ? hidden[0].Ir : hidden[j].Ir;
            var built = SymmetricContractionBasis.UMatrix(coupling, output, nu);
            Assert.Equal(stored.Shape, built.Shape);
            double scale = stored.Data.Max(Math.Abs);
            for (int k = 0; k < stored.Data.Length; k++)
                Assert.True(Math.Abs(stored.Data[k] - built.Data[k]) <= 1e-12 * Math.Max(1, scale), $"{model} {name}[{k}]: {built.Data[k]} vs {stored.Data[k]}");
            compared++;
        }
        Assert.True(compared > 0);
    }
}
