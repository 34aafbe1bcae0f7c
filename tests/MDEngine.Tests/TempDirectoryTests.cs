namespace MDEngine.Tests;

/// <summary>Base of test classes that write files: each test (xunit makes one instance per test) gets a fresh
/// directory under the system temp folder, deleted with its contents afterwards.</summary>
public abstract class TempDirectoryTests(string prefix) : IDisposable
{
    /// <summary>The test's own directory.</summary>
    protected string Dir { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
