namespace MDEngine.Tests.IO;

/// <summary>--format names the input format in every command that reads a structure (convert keeps --in-format as an
/// alias), so a file whose name does not tell its format reads everywhere the same way.</summary>
public sealed class FormatOptionTests() : TempDirectoryTests("mdengine-format-")
{
    /// <summary>A copy of an extended XYZ file under a name that says no format.</summary>
    private string Unnamed()
    {
        string copy = Path.Combine(Dir, "structure.data1");
        File.Copy(RepositoryFiles.Find(Path.Combine("structures", "Cu_vacancy.extxyz")), copy);
        return copy;
    }

    [Theory]
    [InlineData("info")]
    [InlineData("eval")]
    [InlineData("md")]
    [InlineData("convert")]
    [InlineData("convert-alias")]
    public void FormatNamesTheInputFormatInEveryCommand(string command)
    {
        string input = Unnamed();
        string[] args = command switch
        {
            "info" => ["info", input, "--format", "extxyz"],
            "eval" => ["eval", input, "--format", "extxyz"],
            "md" => ["md", input, "--format", "extxyz", "--temperature", "300", "--timestep", "2", "--steps", "2"],
            "convert" => ["convert", input, Path.Combine(Dir, "out.cif"), "--format", "extxyz"],
            _ => ["convert", input, Path.Combine(Dir, "out.vasp"), "--in-format", "extxyz"],
        };
        var (code, _, err) = CliHarness.Run(args);
        Assert.True(code == 0, err);
        var (without, _, _) = CliHarness.Run(args.Where((a, k) => !(a.StartsWith("--") && a.EndsWith("format")) && !(k > 0 && args[k - 1].EndsWith("format"))).ToArray());
        Assert.Equal(2, without);
    }
}
