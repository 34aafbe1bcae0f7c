using MDEngine.IO;
using MDEngine.ML.TorchScript;
using MDEngine.Potentials;
using static MDEngine.ML.Tests.TorchScript.TorchScriptData;

namespace MDEngine.ML.Tests.TorchScript;

/// <summary>Files that cannot be run are refused as bad input (InputException: exit 2 at the command line) that names
/// the file and says what it is.</summary>
public class TorchScriptInputErrorTests
{
    private static InputException Refused(string spec) => Assert.Throws<InputException>(() => MlPotentials.Registry().Parse(spec));

    private static string TempCopy(byte[] bytes, string extension)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mdengine-ts-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void AnUnknownModuleIsRefusedWithItsForwardSignature()
    {
        string file = StandIn("unknown_module.pt");
        var e = Refused(file);
        Assert.Equal(file, e.FileName);
        Assert.Contains("no known family", e.Message);
        Assert.Contains("forward(self, coordinates: Tensor, charges: Tensor) -> Tensor", e.Message);
        Assert.Contains("format=", e.Message);
    }

    [Fact]
    public void AnAotInductorPackageIsRefusedNamingTheTorchScriptOption()
    {
        string file = StandIn("nequip_standin.nequip.pt2");
        var e = Refused(file);
        Assert.Equal(file, e.FileName);
        Assert.Contains("AOTInductor", e.Message);
        Assert.Contains("nequip-compile --mode torchscript", e.Message);
    }

    [Fact]
    public void ACorruptFileIsRefusedNamingIt()
    {
        var bytes = File.ReadAllBytes(StandIn("nequip_standin.pth"));
        foreach (var corrupt in new[] { bytes[..(bytes.Length / 2)], bytes.Select((b, i) => i > 200 && i < 900 ? (byte)0x5a : b).ToArray(), "not a model\n"u8.ToArray() })
        {
            string path = TempCopy(corrupt, ".pth");
            try
            {
                var e = Refused(path);
                Assert.Equal(path, e.FileName);
                Assert.DoesNotContain("   at ", e.Message);
            }
            finally { File.Delete(path); }
        }
    }

    [Fact]
    public void APickledModelNeedsThePrefixAndIsThenRefusedAsNotTorchScript()
    {
        // A torch.save file: a zip with data.pkl and no TorchScript code (built here from the stand-in's entries).
        var entries = TorchFileKind.Entries(File.ReadAllBytes(StandIn("nequip_standin.pth")));
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, true))
            foreach (var (name, data) in entries.Where(e => !e.Key.Contains("/code/")))
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(data);
            }
        string path = TempCopy(buffer.ToArray(), ".pt");
        try
        {
            Assert.Equal(TorchFileKind.Kind.Pickle, TorchFileKind.Of(File.ReadAllBytes(path)));
            Assert.Contains("unknown potential", Refused(path).Message);   // not claimed: another family may read it
            var e = Refused("torchscript:" + path);
            Assert.Equal(path, e.FileName);
            Assert.Contains("torch.save", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AWrongFormatOrPrecisionOrOptionIsRefused()
    {
        string file = StandIn("sevennet_standin.pt");
        Assert.Contains("format=bogus", Refused($"torchscript:{file},format=bogus").Message);
        Assert.Contains("float32", Refused($"{file},dtype=float64").Message);
        Assert.Contains("unknown torchscript option", Refused($"{file},head=x").Message);
        // The SevenNet file forced into the MACE convention: its forward does not take MACE's arguments.
        var e = Refused($"torchscript:{file},format=mace");
        Assert.Equal(file, e.FileName);
        Assert.Contains("forward(self, data: Dict[str, Tensor]) -> Dict[str, Tensor]", e.Message);
    }

    [SkippableFact]
    public void APickledMaceModelFileIsLeftToTheMaceReader()
    {
        string pickled = RealModels.Require("mace-tutorial-solvent-xtb/mace01_swa.model");
        Assert.Null(TorchScriptSpec.TryParse(pickled));
        Assert.IsType<MDEngine.ML.Mace.MacePotential>(MlPotentials.Registry().Parse(pickled + ",device=cpu"));
        string scripted = RealModels.Require("mace-tutorial-solvent-xtb/mace01_swa_compiled.model");
        Assert.IsType<Graphs.GraphPotential>(TorchScriptSpec.TryParse(scripted + ",device=cpu"));
    }

    [Fact]
    public void AMissingFileIsReportedAsMissing()
    {
        Assert.Throws<FileNotFoundException>(() => MlPotentials.Registry().Parse("no/such/model.pt"));
        Assert.Throws<FileNotFoundException>(() => MlPotentials.Registry().Parse("torchscript:no/such/model.bin"));
    }

    [Fact]
    public void TheFormatOptionOverridesDetection()
    {
        var potential = (Graphs.GraphPotential)MlPotentials.Registry().Parse($"torchscript:{StandIn("mace_standin-lammps.pt")},format=mace-lammps,device=cpu");
        Assert.Equal(TorchScriptKind.MaceLammps, ((TorchScriptModel)potential.Model).Kind);
        Assert.Contains("mace_standin-lammps.pt", potential.Name);
    }
}
