using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>Locates the shipped <c>potentials/</c> folder and tells which elements a potential file covers
/// without reading its tables.</summary>
public static class PotentialsDirectory
{
    public const string EnvironmentVariable = "MDENGINE_POTENTIALS";

    /// <summary>$MDENGINE_POTENTIALS, else the first <c>potentials</c> folder found walking up from the application's
    /// directory, then from the current directory; null when there is none.</summary>
    public static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "potentials");
                if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate).Any(f => ElementsOf(f) is not null)) return candidate;
            }
        }
        return null;
    }

    /// <summary>Elements a classical potential file covers from its header (setfl: the element line; funcfl: the
    /// atomic number; sw/tersoff: the element columns), or null when the file is not one.</summary>
    public static IReadOnlySet<int>? ElementsOf(string path) => Formats.PotentialRegistry.Classical().ElementsOf(path);
}
