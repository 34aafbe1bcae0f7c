using MDEngine.IO;

namespace MDEngine.Tests.Potentials;

/// <summary>A mace-torch <c>.model</c> file named with <c>--potential</c> works in eval, relax and md, as any
/// potential does.</summary>
public sealed class MlPotentialCliTests() : TempDirectoryTests("mdengine-ml-cli-")
{
    private static string FamilyDirectory(string family) =>
        RepositoryFiles.Find(Path.Combine("tests", "MDEngine.ML.Tests", "data", "mace-families", family));

    [Fact]
    public void AMaceModelFileEvaluatesRelaxesAndRunsMdFromTheCommandLine()
    {
        string dir = FamilyDirectory("off");
        string model = Path.Combine(dir, "model.model");
        var reference = StructureFile.Read(Path.Combine(dir, "reference.extxyz"))[0];
        string input = Path.Combine(Dir, "molecule.extxyz");
        StructureFile.Write(input, [reference]);

        string evaluated = Path.Combine(Dir, "evaluated.extxyz");
        var eval = CliHarness.Run("eval", input, "--potential", model, "--output", evaluated);
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Equal(reference.Energy!.Value, StructureFile.Read(evaluated)[0].Energy!.Value, 1e-10 * Math.Abs(reference.Energy.Value));

        string relaxed = Path.Combine(Dir, "relaxed.extxyz");
        var relax = CliHarness.Run("relax", input, "--potential", model, "--steps", "5", "--fmax", "1000", "--output", relaxed);
        Assert.True(relax.Code == 0, relax.Err);
        Assert.True(File.Exists(relaxed));

        string trajectory = Path.Combine(Dir, "md.extxyz");
        var md = CliHarness.Run("md", input, "--potential", model, "--ensemble", "nve", "--temperature", "300", "--timestep", "0.25", "--steps", "4",
            "--every", "2", "--trajectory", trajectory);
        Assert.True(md.Code == 0, md.Err);
        Assert.Equal(3, StructureFile.Read(trajectory).Count);
    }
}
