namespace MDEngine.ML.Tests;

/// <summary>
/// Pretrained models and their reference outputs from public repositories, read in place from the shared folder
/// beside the repository (<c>../shared/realmodels</c>, or <c>MDENGINE_REALMODELS</c>); they are never copied into
/// the repository. A test that needs one is skipped, saying which file it missed, where the folder is absent.
/// </summary>
public static class RealModels
{
    public static string Root => Environment.GetEnvironmentVariable("MDENGINE_REALMODELS")
        ?? Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "realmodels"));

    /// <summary>The full path of <paramref name="relative"/> under the real-model folder; skips the test when absent.</summary>
    public static string Require(string relative)
    {
        string path = Path.Combine(Root, relative);
        Skip.IfNot(File.Exists(path) || Directory.Exists(path), $"real model data not found: {path} (the shared real-model folder is absent)");
        return path;
    }

    /// <summary>The folder holding MDEngine.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MDEngine.sln"))) return dir.FullName;
        return AppContext.BaseDirectory;
    }
}
