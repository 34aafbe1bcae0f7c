using System.IO.Compression;
using System.Text.Json.Nodes;
using MDEngine.IO;
using MDEngine.ML.Mace;

namespace MDEngine.ML.Tests.Mace;

/// <summary>A damaged or hostile model file is bad input: <see cref="InputException"/> naming the file and what is
/// wrong (exit 2 at the command line), never a raw runtime error and never a model that evaluates to NaN.</summary>
public sealed class MaceCorruptFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mace-corrupt");
    public void Dispose() => _dir.Delete(true);

    /// <summary>A copy of the exported fixture (JSON + safetensors) with the JSON and the weights bytes edited.</summary>
    private string ExportedCopy(Action<JsonObject>? editJson = null, Func<byte[], byte[]>? editWeights = null)
    {
        var json = JsonNode.Parse(File.ReadAllText(MaceFixture.ModelJson))!.AsObject();
        editJson?.Invoke(json);
        string path = Path.Combine(_dir.FullName, "model.json");
        File.WriteAllText(path, json.ToJsonString());
        var weights = File.ReadAllBytes(Path.Combine(MaceFixture.Directory, "model.safetensors"));
        File.WriteAllBytes(Path.ChangeExtension(path, ".safetensors"), editWeights?.Invoke(weights) ?? weights);
        return path;
    }

    private static InputException Refused(string spec) => Assert.Throws<InputException>(() => MaceSpec.TryParse(spec));

    [Fact]
    public void ATruncatedWeightsFileIsNamed()
    {
        var e = Refused(ExportedCopy(editWeights: w => w[..(w.Length / 2)]));
        Assert.Contains("model.json", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void AWeightsHeaderWithOffsetsOutsideTheDataIsNamed()
    {
        var e = Refused(ExportedCopy(editWeights: w => { var c = (byte[])w.Clone(); c[0] = 0xff; c[1] = 0xff; c[2] = 0x7f; return c; }));
        Assert.Contains("header", e.Message);
    }

    [Fact]
    public void MalformedJsonIsNamed()
    {
        string path = ExportedCopy();
        File.WriteAllText(path, "{ \"r_max\": 5.0, ");
        var e = Refused($"mace:{path}");
        Assert.Contains("JSON", e.Message);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    public void ACutoffThatIsNotAPositiveDistanceIsRefused(double rMax)
    {
        var e = Refused(ExportedCopy(j => j["r_max"] = rMax));
        Assert.Contains("r_max", e.Message);
    }

    [Fact]
    public void ACutoffThatIsNotANumberIsRefused()
    {
        var e = Refused(ExportedCopy(j => j["r_max"] = "five"));
        Assert.Contains("r_max", e.Message);
    }

    [Fact]
    public void NaNWeightsAreRefusedBeforeAnyEvaluation()
    {
        // Overwrite the last 8 bytes (the end of the last float64 tensor) with a NaN.
        var e = Refused(ExportedCopy(editWeights: w => { var c = (byte[])w.Clone(); BitConverter.GetBytes(double.NaN).CopyTo(c, c.Length - 8); return c; }));
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void ATruncatedModelFileIsNamed()
    {
        var bytes = File.ReadAllBytes(MaceFamilyFixture.ModelFile("off"));
        string path = Path.Combine(_dir.FullName, "cut.model");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        var e = Refused(path);
        Assert.Contains("cut.model", e.Message);
    }

    [Fact]
    public void AModelFileWhosePickleNamesAForeignFunctionIsRefusedWithItsName()
    {
        // A torch.save-shaped archive whose pickle would call os.system: the reader names it and builds nothing.
        string path = Path.Combine(_dir.FullName, "hostile.model");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var stream = zip.CreateEntry("hostile/data.pkl").Open())
            stream.Write([0x80, 0x02, .. "cos\nsystem\nX"u8, 0x02, 0x00, 0x00, 0x00, .. "ls"u8, 0x85, (byte)'R', (byte)'.']);
        var e = Refused(path);
        Assert.Contains("os.system", e.Message);
    }

    [Fact]
    public void AZipThatIsNotATorchFileIsNamed()
    {
        string path = Path.Combine(_dir.FullName, "other.model");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var stream = zip.CreateEntry("readme.txt").Open()) stream.Write("hello"u8);
        var e = Refused(path);
        Assert.Contains("data.pkl", e.Message);
    }
}
