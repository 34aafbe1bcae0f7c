using MDEngine.IO;
using MDEngine.Potentials.Eam;
using MDEngine.Potentials.ThreeBody;
using MDEngine.Structures;

namespace MDEngine.Potentials.Formats;

/// <summary>A classical potential file in one of LAMMPS's formats, told by its extension; a bare file name also names
/// a shipped file in <c>potentials/</c> (<see cref="PotentialsDirectory"/>).</summary>
public abstract class PotentialFileFormat : PotentialFormat
{
    /// <summary>Lower-case extensions of this format's files, with the dot.</summary>
    public abstract IReadOnlyList<string> Extensions { get; }

    /// <summary>Reads the file (which exists).</summary>
    protected abstract Potential Read(string path);

    /// <summary>Elements from the file's header; may throw on a file that is not of this format.</summary>
    protected abstract IReadOnlySet<int> ReadElements(string path);

    public bool Matches(string path) => Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public override Potential? TryCreate(string spec)
    {
        if (!Matches(spec)) return null;
        string path = spec;
        if (!File.Exists(path))
        {
            var shipped = Path.GetFileName(path) == path && PotentialsDirectory.Find() is { } directory ? Path.Combine(directory, path) : null;
            if (shipped is null || !File.Exists(shipped)) throw new FileNotFoundException($"potential file '{path}' not found", path);
            path = shipped;
        }
        return Read(path);
    }

    public override IReadOnlySet<int>? ElementsOf(string path)
    {
        if (!Matches(path)) return null;
        try { return ReadElements(path); }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidOperationException or InputException)
        {
            return null;
        }
    }
}

/// <summary>Embedded-atom files: funcfl <c>.eam</c>, setfl <c>.eam.alloy</c>, Finnis–Sinclair <c>.eam.fs</c>.</summary>
public sealed class EamFormat : PotentialFileFormat
{
    public override string Name => "eam";
    public override string Help => "a .eam/.eam.alloy/.eam.fs file (embedded atom)";
    public override IReadOnlyList<string> Extensions { get; } = [".eam", ".eam.alloy", ".eam.fs"];
    protected override Potential Read(string path) => EmbeddedAtom.Read(path);

    protected override IReadOnlySet<int> ReadElements(string path)
    {
        if (path.EndsWith(".eam", StringComparison.OrdinalIgnoreCase))
        {
            // funcfl: the atomic number opens the second line
            var line = File.ReadLines(path).Skip(1).First().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return new HashSet<int> { int.Parse(line[0], System.Globalization.CultureInfo.InvariantCulture) };
        }
        // setfl: the fourth line is the element count and symbols
        var elements = File.ReadLines(path).Skip(3).First().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return elements.Skip(1).Select(s => Element.FromSymbol(s).Z).ToHashSet();
    }
}

/// <summary>Stillinger–Weber <c>.sw</c> files.</summary>
public sealed class StillingerWeberFormat : PotentialFileFormat
{
    public override string Name => "sw";
    public override string Help => "a .sw file (Stillinger–Weber)";
    public override IReadOnlyList<string> Extensions { get; } = [".sw"];
    protected override Potential Read(string path) => StillingerWeber.Read(path);
    protected override IReadOnlySet<int> ReadElements(string path) => ThreeBodyFile.ElementsIn(path);
}

/// <summary>Tersoff <c>.tersoff</c> files.</summary>
public sealed class TersoffFormat : PotentialFileFormat
{
    public override string Name => "tersoff";
    public override string Help => "a .tersoff file";
    public override IReadOnlyList<string> Extensions { get; } = [".tersoff"];
    protected override Potential Read(string path) => Tersoff.Read(path);
    protected override IReadOnlySet<int> ReadElements(string path) => ThreeBodyFile.ElementsIn(path);
}
