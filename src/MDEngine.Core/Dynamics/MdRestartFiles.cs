using System.Globalization;
using System.Text.RegularExpressions;
using MDEngine.IO;

namespace MDEngine.Dynamics;

/// <summary>
/// Cuts the outputs of an interrupted run back to the checkpoint it continues from: log rows and trajectory frames
/// written after the checkpoint's step are dropped (they will be written again, identically), so that a continued
/// run's files read as one uninterrupted run. Kept lines stay byte for byte as written; files are replaced atomically.
/// </summary>
public static partial class MdRestartFiles
{
    /// <summary>Drops CSV log rows after <paramref name="step"/> (the header stays).</summary>
    public static void TruncateLog(string path, long step)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path);
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(l => long.TryParse(l.Split(',')[0], CultureInfo.InvariantCulture, out long s) && s <= step)).ToArray();
        string temporary = path + ".tmp";
        File.WriteAllLines(temporary, kept);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Drops extended XYZ frames after <paramref name="step"/>. Works on the text (atom count, comment line
    /// with step=N, atom lines) so that kept frames stay byte for byte as written.</summary>
    public static void TruncateTrajectory(string path, long step)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path);
        var kept = new List<string>(lines.Length);
        for (int at = 0; at < lines.Length;)
        {
            if (string.IsNullOrWhiteSpace(lines[at])) { at++; continue; }
            if (!int.TryParse(lines[at].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int atoms) || at + 1 >= lines.Length)
                throw new InputException(path, at + 1, "not an extended XYZ trajectory written by mdengine md");
            var match = StepField().Match(lines[at + 1]);
            int end = Math.Min(lines.Length, at + 2 + atoms);
            if (!match.Success || long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) <= step) kept.AddRange(lines[at..end]);
            at = end;
        }
        if (kept.Count == lines.Length) return;
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    [GeneratedRegex(@"(?:^|\s)step=(\d+)")]
    private static partial Regex StepField();
}
