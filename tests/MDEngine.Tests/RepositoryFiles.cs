namespace MDEngine.Tests;

/// <summary>Files of the repository itself (structures/, other test projects' data), found by walking up from the test
/// binaries.</summary>
internal static class RepositoryFiles
{
    /// <summary>The full path of <paramref name="relative"/> (a file or folder under the repository root).</summary>
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}", relative);
    }
}
