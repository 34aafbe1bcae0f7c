using MDEngine.IO;
using MDEngine.ML.Mace;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.Mace;

/// <summary>The mace-torch family fixtures (data/mace-families, see its README): a pickled model per architecture and
/// mace-torch's float64 energy, forces and stress of five structures, per head.</summary>
public static class MaceFamilyFixture
{
    public static string Directory(string family) => Path.Combine(AppContext.BaseDirectory, "data", "mace-families", family);
    public static string ModelFile(string family) => Path.Combine(Directory(family), "model.model");

    public static IReadOnlyList<Structure> Frames(string family, string? head = null) =>
        StructureFile.Read(Path.Combine(Directory(family), "reference.extxyz"))
            .Where(s => head is null || (s.Info.TryGetValue("head", out var h) && h?.ToString() == head)).ToList();

    public static MacePotential Load(string family, MaceOptions? options = null) =>
        MacePotential.LoadModelFile(ModelFile(family), options ?? new MaceOptions { Device = "cpu" });
}
