namespace MDEngine.Tests.IO;

/// <summary>An output that cannot be written is found before the run starts: one line, exit 2, nothing left behind.</summary>
public sealed class UnwritableOutputTests() : TempDirectoryTests("mdengine-unwritable-")
{
    private static string Shipped(string name) => RepositoryFiles.Find(Path.Combine("structures", name));

    [Fact]
    public void ACheckpointInAFolderThatCannotBeWrittenStopsMdBeforeItsFirstFrame()
    {
        // /proc exists but no file can be created in it, even by root.
        string trajectory = Path.Combine(Dir, "md.extxyz");
        var (code, _, err) = CliHarness.Run("md", Shipped("Cu_vacancy.extxyz"), "--temperature", "300", "--timestep", "2", "--steps", "2",
            "--trajectory", trajectory, "--checkpoint", "/proc/md.checkpoint");
        Assert.Equal(2, code);
        Assert.Contains("not writable", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(trajectory));
    }
}
