using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MDEngine.Tests;

/// <summary>
/// The commands of README.md's shell examples, run as written on the committed structures and potentials: their
/// printed output and every file they write must stay byte-identical to the committed fingerprints
/// (data/readme-examples/expected.txt), so that a redesign of the code underneath changes no result a user sees.
/// Wall-clock figures (MD's ns/day column) are left out of the comparison. After an intended change of output,
/// rewrite the fingerprints with MDENGINE_WRITE_README_EXPECTED=1 and review the diff.
/// </summary>
public class ReadmeExamplesTests
{
    private static readonly string[] OutputOptions = ["--output", "--trajectory", "--log", "--checkpoint", "--db"];

    [Fact]
    public void ReadmeExamplesWriteTheCommittedBytes()
    {
        var commands = ReadmeCommands();
        Assert.True(commands.Count >= 5, $"expected the README's examples, found {commands.Count} commands");
        var actual = new StringBuilder();
        foreach (var command in commands) actual.Append(Fingerprint(command));

        string expectedPath = Path.Combine(RepositoryFiles.Find("tests/MDEngine.Tests/data/readme-examples"), "expected.txt");
        if (Environment.GetEnvironmentVariable("MDENGINE_WRITE_README_EXPECTED") == "1") File.WriteAllText(expectedPath, actual.ToString());
        Assert.Equal(File.ReadAllText(expectedPath), actual.ToString());
    }

    /// <summary>Every distinct <c>mdengine ...</c> command (or its <c>dotnet run ... --</c> form) of the README's bash
    /// blocks, continuation lines joined, except the benchmarks (their output is timing).</summary>
    private static List<string[]> ReadmeCommands()
    {
        var commands = new List<string[]>();
        bool inBash = false;
        string pending = "";
        foreach (var raw in File.ReadLines(RepositoryFiles.Find("README.md")))
        {
            if (raw.StartsWith("```", StringComparison.Ordinal)) { inBash = raw == "```bash"; continue; }
            if (!inBash) continue;
            string line = pending + raw.Trim();
            if (line.EndsWith('\\')) { pending = line[..^1]; continue; }
            pending = "";
            line = Regex.Replace(line, @"\s+#.*$", "");
            var match = Regex.Match(line, @"^(?:mdengine|dotnet run --project src/MDEngine\.Cli -c Release --) (.+)$");
            if (!match.Success) continue;
            var args = match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (args[0] == "bench" || commands.Any(c => c.SequenceEqual(args))) continue;
            commands.Add(args);
        }
        return commands;
    }

    /// <summary>Runs one command in a fresh folder (repository paths made absolute, outputs written there) and returns
    /// the command, its exit code and the SHA-256 of its normalised output and of each file it wrote.</summary>
    private static string Fingerprint(string[] args)
    {
        string root = Path.GetDirectoryName(RepositoryFiles.Find("README.md"))!;
        string dir = Directory.CreateTempSubdirectory("mdengine-readme-").FullName;
        try
        {
            var run = args.Select((a, i) =>
                i > 0 && OutputOptions.Contains(args[i - 1]) ? Path.Combine(dir, a)
                : a.StartsWith("structures/", StringComparison.Ordinal) || a.StartsWith("potentials/", StringComparison.Ordinal) ? Path.Combine(root, a)
                : a).ToArray();
            var (code, output, error) = CliHarness.Run(run);
            var text = new StringBuilder();
            text.Append($"$ mdengine {string.Join(' ', args)}\nexit {code}\n");
            if (error.Length > 0) text.Append($"stderr {Hash(Normalise(error, root, dir))}\n");
            text.Append($"stdout {Hash(Normalise(output, root, dir))}\n");
            foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
                text.Append($"{Path.GetFileName(file)} {Hash(Normalise(File.ReadAllText(file), root, dir))}\n");
            return text.ToString();
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Paths back to the README's relative form; MD's wall-clock figures (the thermo lines' and CSV log's last
    /// column, the summary's speed) out.</summary>
    private static string Normalise(string text, string root, string dir)
    {
        // The shipped potentials' folder beside the binary first: it lies under the repository when the tests run from
        // a checkout (where it resolves depends on the working directory).
        text = text.Replace(Path.Combine(AppContext.BaseDirectory, "potentials") + "/", "potentials/")
            .Replace(dir + "/", "").Replace(root + "/", "");
        var lines = text.Split('\n');
        bool csvWithSpeed = lines.Length > 0 && lines[0].EndsWith(",ns_per_day", StringComparison.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            if (csvWithSpeed) lines[i] = Regex.Replace(lines[i], ",[^,]*$", "");
            else if (Regex.IsMatch(lines[i], @"^\s+\d+\s+\S")) lines[i] = Regex.Replace(lines[i], @"\s+\S+$", "");
            else lines[i] = Regex.Replace(lines[i], @", [0-9.]+ ns/day, [0-9.E+]+ atom-steps/s$", "");
        }
        return string.Join('\n', lines);
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
