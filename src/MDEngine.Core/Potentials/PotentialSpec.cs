using System.Globalization;
using MDEngine.IO;
using MDEngine.Potentials.Eam;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>
/// Turns a potential specification into a potential:
/// <list type="bullet">
/// <item>a file path (or the bare name of a shipped file in <c>potentials/</c>), its format from the extension: <c>.eam</c> (funcfl), <c>.eam.alloy</c> (setfl), <c>.eam.fs</c>
/// (Finnis–Sinclair), <c>.sw</c> (Stillinger–Weber), <c>.tersoff</c> (Tersoff), all in LAMMPS's formats;</item>
/// <item>analytic forms <c>lj:epsilon=0.0104,sigma=3.40,cutoff=8.5[,shift=true]</c> and
/// <c>morse:D=0.3429,alpha=1.3588,r0=2.866,cutoff=9[,shift=true]</c>;</item>
/// <item><c>auto</c>: the shipped potential in <c>potentials/</c> that covers every element given;</item>
/// <item>anything a registered handler recognises (the ML potentials register theirs, e.g. model descriptors).</item>
/// </list>
/// Bad specifications raise <see cref="InputException"/>; <c>auto</c> without a covering potential raises
/// <see cref="PotentialCoverageException"/>.
/// </summary>
public static class PotentialSpec
{
    private static readonly List<Func<string, Potential?>> Handlers = [];
    private static readonly Lock HandlersLock = new();

    /// <summary>Adds a handler tried before the built-in forms; it returns null for specifications that are not its own.</summary>
    public static void Register(Func<string, Potential?> handler)
    {
        lock (HandlersLock) Handlers.Add(handler);
    }

    /// <summary>The longest cutoff an analytic potential may have (Å): far beyond any physical interaction, and short
    /// enough that the neighbor search stays bounded.</summary>
    public const double MaxCutoff = 100;

    public static Potential Parse(string spec, IReadOnlyList<int>? elementsForAuto = null)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new InputException(null, null, "empty potential specification");
        spec = spec.Trim();
        Func<string, Potential?>[] handlers;
        lock (HandlersLock) handlers = Handlers.ToArray();
        foreach (var handler in handlers)
            if (handler(spec) is { } p) return p;

        if (spec.Equals("auto", StringComparison.OrdinalIgnoreCase)) return Auto(elementsForAuto);
        if (spec.StartsWith("lj:", StringComparison.OrdinalIgnoreCase))
        {
            var a = Arguments(spec, ["epsilon", "sigma", "cutoff"], ["shift"]);
            return new LennardJones(a.Positive("epsilon"), a.Positive("sigma"), a.Cutoff(), a.Flag("shift"));
        }
        if (spec.StartsWith("morse:", StringComparison.OrdinalIgnoreCase))
        {
            var a = Arguments(spec, ["D", "alpha", "r0", "cutoff"], ["shift"]);
            return new Morse(a.Positive("D"), a.Positive("alpha"), a.Positive("r0"), a.Cutoff(), a.Flag("shift"));
        }
        return FromFile(spec);
    }

    /// <summary>Reads a potential file, the format from its extension.</summary>
    public static Potential FromFile(string path)
    {
        string lower = path.ToLowerInvariant();
        bool known = lower.EndsWith(".eam") || lower.EndsWith(".eam.alloy") || lower.EndsWith(".eam.fs") || lower.EndsWith(".sw") || lower.EndsWith(".tersoff");
        if (!known)
            throw new InputException(null, null, $"unknown potential '{path}' (expected a .eam, .eam.alloy, .eam.fs, .sw or .tersoff file, " +
                "lj:epsilon=..,sigma=..,cutoff=.., morse:D=..,alpha=..,r0=..,cutoff=.., or auto)");
        if (!File.Exists(path))
        {
            // A bare file name also names a shipped potential.
            var shipped = Path.GetFileName(path) == path && PotentialsDirectory.Find() is { } directory ? Path.Combine(directory, path) : null;
            if (shipped is null || !File.Exists(shipped)) throw new FileNotFoundException($"potential file '{path}' not found", path);
            path = shipped;
            lower = path.ToLowerInvariant();
        }
        if (lower.EndsWith(".sw")) return ThreeBody.StillingerWeber.Read(path);
        if (lower.EndsWith(".tersoff")) return ThreeBody.Tersoff.Read(path);
        return EmbeddedAtom.Read(path);
    }

    /// <summary>The shipped potential covering all <paramref name="elements"/>: the single-element file when there is
    /// one element, otherwise the smallest file that covers them all.</summary>
    public static Potential Auto(IReadOnlyList<int>? elements)
    {
        if (elements is null || elements.Count == 0) throw new InputException(null, null, "'auto' needs the structure's elements to pick a potential");
        var wanted = elements.Distinct().ToArray();
        var directory = PotentialsDirectory.Find()
            ?? throw new PotentialCoverageException("'auto' found no potentials/ folder (set MDENGINE_POTENTIALS to its path)");
        var candidates = new List<(string Path, int Count)>();
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var covered = PotentialsDirectory.ElementsOf(path);
            if (covered is null || !wanted.All(covered.Contains)) continue;
            candidates.Add((path, covered.Count));
        }
        if (candidates.Count == 0)
            throw new PotentialCoverageException($"no shipped potential in {directory} covers {string.Join(", ", wanted.Select(z => Element.FromZ(z).Symbol))}");
        return FromFile(candidates.OrderBy(c => c.Count).ThenBy(c => c.Path, StringComparer.Ordinal).First().Path);
    }

    private sealed class Args(string spec, Dictionary<string, string> values)
    {
        public double Number(string key)
        {
            if (!values.TryGetValue(key, out var text)) throw new InputException(null, null, $"'{spec}': missing {key}=");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new InputException(null, null, $"'{spec}': {key}={text} is not a number");
            return v;
        }

        public double Positive(string key)
        {
            double v = Number(key);
            if (!(v > 0)) throw new InputException(null, null, $"'{spec}': {key}={values[key]} must be positive");
            return v;
        }

        public double Cutoff()
        {
            double v = Positive("cutoff");
            if (v > MaxCutoff) throw new InputException(null, null, FormattableString.Invariant($"'{spec}': cutoff={values["cutoff"]} is beyond {MaxCutoff} Å"));
            return v;
        }

        public bool Flag(string key)
        {
            if (!values.TryGetValue(key, out var text)) return false;
            return text.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" => true,
                "false" or "no" or "0" => false,
                _ => throw new InputException(null, null, $"'{spec}': {key}={text} is not true or false"),
            };
        }
    }

    private static Args Arguments(string spec, string[] required, string[] optional)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var body = spec[(spec.IndexOf(':') + 1)..];
        foreach (var part in body.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new InputException(null, null, $"'{spec}': expected key=value, got '{part}'");
            string key = part[..eq].Trim();
            if (!required.Concat(optional).Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new InputException(null, null, $"'{spec}': unknown parameter '{key}' (expected {string.Join(", ", required.Concat(optional))})");
            if (!values.TryAdd(key, part[(eq + 1)..].Trim())) throw new InputException(null, null, $"'{spec}': {key} given twice");
        }
        foreach (var key in required)
            if (!values.ContainsKey(key)) throw new InputException(null, null, $"'{spec}': missing {key}=");
        return new Args(spec, values);
    }
}
