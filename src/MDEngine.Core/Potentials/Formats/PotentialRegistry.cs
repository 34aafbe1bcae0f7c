using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Potentials.Formats;

/// <summary>
/// The potential formats a program knows, registered explicitly at start-up (no global list): a specification is
/// offered to each format in the order they were added, the first that claims it builds the potential, and
/// <c>auto</c> picks the shipped file in <c>potentials/</c> that covers the given elements. The command line builds
/// one with every classical format and every ML family; a C# user does the same in one line:
/// <code>var potentials = PotentialRegistry.Classical().Add(MlPotentials.Formats);</code>
/// The <c>--potential</c> help of the commands is <see cref="Help"/>.
/// </summary>
public sealed class PotentialRegistry
{
    private readonly List<PotentialFormat> _formats = [];

    public IReadOnlyList<PotentialFormat> Formats => _formats;

    /// <summary>A registry of the classical formats of MDEngine.Core: EAM, Stillinger–Weber and Tersoff files,
    /// Lennard-Jones and Morse.</summary>
    public static PotentialRegistry Classical() => new PotentialRegistry()
        .Add(new EamFormat()).Add(new StillingerWeberFormat()).Add(new TersoffFormat())
        .Add(new LennardJonesFormat()).Add(new MorseFormat());

    /// <summary>Adds a format, tried before the ones already there (a model family that claims some files of an
    /// extension another format also reads goes first); a second format of the same name is refused.</summary>
    public PotentialRegistry Add(PotentialFormat format)
    {
        if (_formats.Any(f => f.Name.Equals(format.Name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"a potential format named '{format.Name}' is already registered", nameof(format));
        _formats.Insert(0, format);
        return this;
    }

    /// <summary>Adds formats in order of precedence (the first is tried first).</summary>
    public PotentialRegistry Add(IEnumerable<PotentialFormat> formats)
    {
        foreach (var format in formats.Reverse()) Add(format);
        return this;
    }

    /// <summary>What a <c>--potential</c> option takes: every format's help line, and <c>auto</c>.</summary>
    public string Help => string.Join(", ", _formats.AsEnumerable().Reverse().Select(f => f.Help)) +
        ", or auto (the shipped potential covering the elements)";

    /// <summary>
    /// The potential <paramref name="spec"/> names. Bad specifications raise <see cref="InputException"/>, a missing
    /// file <see cref="FileNotFoundException"/>; <c>auto</c> without a covering shipped potential raises
    /// <see cref="PotentialCoverageException"/>.
    /// </summary>
    public Potential Parse(string spec, IReadOnlyList<int>? elementsForAuto = null)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new InputException(null, null, "empty potential specification");
        spec = spec.Trim();
        foreach (var format in _formats)
            if (format.TryCreate(spec) is { } potential) return potential;
        if (spec.Equals("auto", StringComparison.OrdinalIgnoreCase)) return Auto(elementsForAuto);
        throw new InputException(null, null, $"unknown potential '{spec}' (expected {Help})");
    }

    /// <summary>The elements a potential file covers, from the first format that reads it; null when none does.</summary>
    public IReadOnlySet<int>? ElementsOf(string path)
    {
        foreach (var format in _formats)
            if (format.ElementsOf(path) is { } elements) return elements;
        return null;
    }

    /// <summary>The shipped potential covering all <paramref name="elements"/>: the single-element file when there is
    /// one element, otherwise the smallest file that covers them all.</summary>
    public Potential Auto(IReadOnlyList<int>? elements)
    {
        if (elements is null || elements.Count == 0) throw new InputException(null, null, "'auto' needs the structure's elements to pick a potential");
        var wanted = elements.Distinct().ToArray();
        var directory = PotentialsDirectory.Find()
            ?? throw new PotentialCoverageException("'auto' found no potentials/ folder (set MDENGINE_POTENTIALS to its path)");
        var candidates = new List<(string Path, int Count)>();
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var covered = ElementsOf(path);
            if (covered is null || !wanted.All(covered.Contains)) continue;
            candidates.Add((path, covered.Count));
        }
        if (candidates.Count == 0)
            throw new PotentialCoverageException($"no shipped potential in {directory} covers {string.Join(", ", wanted.Select(z => Element.FromZ(z).Symbol))}");
        return Parse(candidates.OrderBy(c => c.Count).ThenBy(c => c.Path, StringComparer.Ordinal).First().Path);
    }
}
