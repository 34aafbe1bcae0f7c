namespace MDEngine.Tests;

/// <summary>Deployed TorchScript models at the command line: eval, relax and md run with a model file as the
/// potential (the committed NequIP-convention stand-in of tests/MDEngine.ML.Tests/data/torchscript), and a file that
/// cannot be run exits with code 2 naming it.</summary>
public class TorchScriptCliTests
{
    private static string Repository
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MDEngine.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("repository root (MDEngine.sln) not found");
        }
    }

    private static string Model(string name) => Path.Combine(Repository, "tests", "MDEngine.ML.Tests", "data", "torchscript", name);

    private static string Silica()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mdengine-ts-{Guid.NewGuid():N}.extxyz");
        File.WriteAllText(path, """
            6
            Lattice="5.1 0.0 0.0 0.9 5.3 0.0 -0.4 0.6 5.0" Properties=species:S:1:pos:R:3 pbc="T T T"
            Si 0.1 0.2 0.3
            Si 2.6 2.9 2.4
            O 1.5 0.4 0.9
            O 0.3 1.7 1.2
            O 3.8 2.5 3.1
            O 2.1 4.1 2.0

            """);
        return path;
    }

    [Fact]
    public void EvalRelaxAndMdRunWithATorchScriptFile()
    {
        string structure = Silica(), relaxed = structure + ".relaxed.extxyz", trajectory = structure + ".md.extxyz";
        try
        {
            var eval = CliHarness.Run("eval", structure, "--potential", Model("nequip_standin.pth"));
            Assert.True(eval.Code == 0, eval.Err);
            Assert.Contains("nequip", eval.Out);
            Assert.Contains("E = -16.1750", eval.Out);   // the stand-in's pair sum for this cell: −16.17505 eV

            // a TorchScript .model without prefix reaches the TorchScript handler, not MACE's .model reader
            var scripted = CliHarness.Run("eval", structure, "--potential", Model("mace_standin.model"));
            Assert.True(scripted.Code == 0, scripted.Err);
            Assert.Contains("torchscript:mace_standin.model (mace)", scripted.Out);
            Assert.Contains("E = -16.1750", scripted.Out);

            var relax = CliHarness.Run("relax", structure, "--potential", Model("nequip_standin.pth"), "--output", relaxed);
            Assert.True(relax.Code == 0, relax.Err);
            Assert.True(File.Exists(relaxed));

            var md = CliHarness.Run("md", structure, "--potential", $"torchscript:{Model("mace_standin.model")},format=mace", "--ensemble", "nve",
                "--temperature", "300", "--timestep", "0.5", "--steps", "5", "--trajectory", trajectory, "--every", "5");
            Assert.True(md.Code == 0, md.Err);
            Assert.True(File.Exists(trajectory));
        }
        finally
        {
            foreach (var f in new[] { structure, relaxed, trajectory }) File.Delete(f);
        }
    }

    [Fact]
    public void AFileThatCannotRunExitsWithTwoNamingIt()
    {
        string structure = Silica();
        string corrupt = Path.Combine(Path.GetTempPath(), $"mdengine-ts-{Guid.NewGuid():N}.pt");
        var bytes = File.ReadAllBytes(Model("nequip_standin.pth"));
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 3)]);
        try
        {
            foreach (var model in new[] { corrupt, Model("unknown_module.pt"), Model("nequip_standin.nequip.pt2") })
            {
                var run = CliHarness.Run("eval", structure, "--potential", model);
                Assert.Equal(2, run.Code);
                Assert.Contains(model, run.Err);
                Assert.DoesNotContain("   at ", run.Err);
            }
        }
        finally
        {
            File.Delete(structure);
            File.Delete(corrupt);
        }
    }
}
