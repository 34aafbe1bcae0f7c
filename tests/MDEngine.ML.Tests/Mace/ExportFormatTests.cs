using System.Text.Json;
using MDEngine.ML.IO;

namespace MDEngine.ML.Tests.Mace;

/// <summary>What tools/mace_export.py writes, MDEngine reads: a state_dict written by the exporter's safetensors
/// writer (with torch, by tools/reference/mace_export_roundtrip.py) comes back with the same names, dtypes, shapes and
/// values, floating tensors widened to float64 as the exporter writes them.</summary>
public class ExportFormatTests
{
    [Fact]
    public void ExporterWriterRoundTripsThroughTheReader()
    {
        var tensors = SafeTensors.Read(Path.Combine(MaceFixture.Directory, "export_roundtrip.safetensors"));
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(MaceFixture.Directory, "export_roundtrip.json")));
        var entries = expected.RootElement.GetProperty("tensors").EnumerateObject().ToList();
        Assert.Equal(entries.Select(e => e.Name).Order(), tensors.Keys.Order());
        foreach (var entry in entries)
        {
            var tensor = tensors[entry.Name];
            Assert.Equal(entry.Value.GetProperty("dtype").GetString(), tensor.DType);
            Assert.Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()), tensor.Shape);
            Assert.Equal(entry.Value.GetProperty("values").EnumerateArray().Select(x => x.GetDouble()), tensor.Data);
        }
    }
}
