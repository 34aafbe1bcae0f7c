using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>Choices when reading a LAMMPS dump: the element of each atom type (type 1 first), needed when the dump
/// has no <c>element</c> column.</summary>
public sealed record LammpsDumpReadOptions(IReadOnlyList<string>? TypeElements = null);

/// <summary>
/// Reads LAMMPS text dumps (<c>dump custom</c>, also <c>dump atom</c>) in metal units, every frame: the timestep
/// (Info["timestep"]), the box (orthogonal or triclinic <c>BOX BOUNDS xy xz yz</c>; <c>p</c> boundaries are periodic)
/// and the columns of <c>ITEM: ATOMS</c>. Positions come from <c>x y z</c>, <c>xu yu zu</c> (unwrapped) or the
/// scaled <c>xs ys zs</c> / <c>xsu ysu zsu</c>; elements from <c>element</c>, else from the options by <c>type</c>;
/// <c>vx vy vz</c> (Å/ps) become velocities in Å/fs, <c>fx fy fz</c> the forces, <c>q</c> the array
/// <c>initial_charges</c>, <c>mass</c> the masses; any other column becomes a real per-atom array of its name.
/// Atoms are ordered by <c>id</c> when there is one.
/// </summary>
public static class LammpsDumpReader
{
    public static List<Structure> ReadAll(TextReader reader, string? fileName, LammpsDumpReadOptions? options = null)
    {
        var lines = new LineReader(reader, fileName);
        var frames = new List<Structure>();
        string? line;
        while ((line = lines.Next()) is not null)
        {
            if (line.Trim().Length == 0) continue;
            if (line.Trim() != "ITEM: TIMESTEP") throw lines.Error($"expected \"ITEM: TIMESTEP\", found \"{ExtXyzReader.Shorten(line)}\"");
            frames.Add(ReadFrame(lines, options));
        }
        if (frames.Count == 0) throw new InputException(fileName, null, "no frames: the file is empty");
        return frames;
    }

    private static Structure ReadFrame(LineReader lines, LammpsDumpReadOptions? options)
    {
        string Need(string what) => lines.Next() ?? throw lines.Error($"the file ends where {what} should be", atEnd: true);
        long timestep = Integer(Need("the timestep"), lines, "timestep");
        Expect(Need("ITEM: NUMBER OF ATOMS"), "ITEM: NUMBER OF ATOMS", lines);
        long count = Integer(Need("the number of atoms"), lines, "number of atoms");
        if (count < 1 || count > PoscarReader.MaxAtoms) throw lines.Error($"number of atoms {count} is not between 1 and {PoscarReader.MaxAtoms}");
        string boxLine = Need("ITEM: BOX BOUNDS");
        if (!boxLine.StartsWith("ITEM: BOX BOUNDS", StringComparison.Ordinal)) throw lines.Error("expected ITEM: BOX BOUNDS");
        var flags = boxLine["ITEM: BOX BOUNDS".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        bool triclinic = flags.Length >= 3 && flags[0] == "xy";
        var boundaries = triclinic ? flags[3..] : flags;
        var bounds = new double[3, 3];
        for (int k = 0; k < 3; k++)
        {
            var t = Split(Need("a box bound"));
            if (t.Length < (triclinic ? 3 : 2)) throw lines.Error($"a box bound line needs {(triclinic ? 3 : 2)} numbers");
            for (int j = 0; j < (triclinic ? 3 : 2); j++) bounds[k, j] = Real(t[j], lines);
        }
        var box = LammpsBox.FromDumpBounds(bounds[0, 0], bounds[0, 1], bounds[1, 0], bounds[1, 1], bounds[2, 0], bounds[2, 1],
            bounds[0, 2], bounds[1, 2], bounds[2, 2]);
        var cell = new Cell(box.CellMatrix);
        if (!cell.IsFullRank) throw lines.Error("the box is singular");
        var pbc = boundaries.Length == 3 ? new Pbc(boundaries[0] == "pp", boundaries[1] == "pp", boundaries[2] == "pp") : Pbc.All;

        string header = Need("ITEM: ATOMS");
        if (!header.StartsWith("ITEM: ATOMS", StringComparison.Ordinal)) throw lines.Error("expected ITEM: ATOMS");
        var columns = Split(header["ITEM: ATOMS".Length..]);
        if (columns.Distinct().Count() != columns.Length) throw lines.Error("ITEM: ATOMS names a column twice");
        int Col(string name) => Array.IndexOf(columns, name);
        var (px, scaled) = PositionColumns(columns, lines);
        int element = Col("element"), type = Col("type"), id = Col("id");
        if (element < 0 && (type < 0 || options?.TypeElements is null))
            throw lines.Error("the dump has no element column: the elements of the atom types must be given");

        int n = (int)count;
        var rows = new (long Id, int Z, Vec3 R, double[] Values)[n];
        for (int i = 0; i < n; i++)
        {
            var t = Split(Need($"atom {i + 1} of {n}"));
            if (t.Length != columns.Length) throw lines.Error($"{t.Length} columns, expected {columns.Length} ({string.Join(' ', columns)})");
            var values = new double[t.Length];
            for (int k = 0; k < t.Length; k++)
                if (k != element) values[k] = Real(t[k], lines);
            int z = element >= 0 ? Symbol(t[element], lines) : TypeElement((int)values[type], options!.TypeElements!, lines);
            var r = new Vec3(values[px], values[px + 1], values[px + 2]);
            if (scaled) r = box.Origin + cell.ToCartesian(r);
            rows[i] = (id >= 0 ? (long)values[id] : i, z, r, values);
        }
        if (id >= 0)
        {
            Array.Sort(rows, (a, b) => a.Id.CompareTo(b.Id));
            for (int i = 1; i < n; i++)
                if (rows[i].Id == rows[i - 1].Id) throw new InputException(lines.FileName, null, $"atom id {rows[i].Id} appears twice in the frame of timestep {timestep}");
        }

        int mass = Col("mass");
        var s = new Structure(rows.Select(r => r.Z).ToArray(), rows.Select(r => r.R).ToArray(), cell, pbc,
            mass >= 0 ? rows.Select(r => r.Values[mass]).ToArray() : null);
        s.Info["timestep"] = timestep;
        Vec3[] Triple(int at) => rows.Select(r => new Vec3(r.Values[at], r.Values[at + 1], r.Values[at + 2])).ToArray();
        var used = new HashSet<int> { px, px + 1, px + 2, element, type, id, mass };
        if (Triple3(columns, "vx") is { } v) { s.Velocities = Triple(v).Select(x => x / 1000).ToArray(); used.UnionWith([v, v + 1, v + 2]); } // Å/ps → Å/fs
        if (Triple3(columns, "fx") is { } f) { s.Forces = Triple(f); used.UnionWith([f, f + 1, f + 2]); }
        for (int k = 0; k < columns.Length; k++)
        {
            if (used.Contains(k)) continue;
            string name = columns[k] == "q" ? "initial_charges" : columns[k];
            s.Arrays[name] = AtomArray.Real(rows.Select(r => r.Values[k]).ToArray());
        }
        FiniteValues.RequireRead(s, lines.FileName, lines.Number);
        return s;
    }

    private static (int At, bool Scaled) PositionColumns(string[] columns, LineReader lines)
    {
        foreach (var (x, scaled) in new[] { ("x", false), ("xu", false), ("xs", true), ("xsu", true) })
            if (Triple3(columns, x) is { } at) return (at, scaled);
        throw lines.Error("ITEM: ATOMS has no positions (x y z, xu yu zu, xs ys zs or xsu ysu zsu)");
    }

    // The index of "x" when it is followed by "y" and "z" of the same kind ("vx vy vz", "xs ys zs").
    private static int? Triple3(string[] columns, string first)
    {
        int at = Array.IndexOf(columns, first);
        if (at < 0 || at + 2 >= columns.Length) return null;
        string y = first.Replace('x', 'y'), z = first.Replace('x', 'z');
        return columns[at + 1] == y && columns[at + 2] == z ? at : null;
    }

    private static int Symbol(string token, LineReader lines) =>
        Element.TryFromSymbol(token, out var e) ? e.Z : throw lines.Error($"unknown element '{ExtXyzReader.Shorten(token)}'");

    private static int TypeElement(int type, IReadOnlyList<string> elements, LineReader lines)
    {
        if (type < 1 || type > elements.Count) throw lines.Error($"atom type {type} has no element given (types 1-{elements.Count})");
        return Symbol(elements[type - 1], lines);
    }

    private static void Expect(string line, string expected, LineReader lines)
    {
        if (line.Trim() != expected) throw lines.Error($"expected \"{expected}\", found \"{ExtXyzReader.Shorten(line)}\"");
    }

    private static string[] Split(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static long Integer(string text, LineReader lines, string what)
    {
        if (!long.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long v))
            throw lines.Error($"{what} '{ExtXyzReader.Shorten(text.Trim())}' is not an integer");
        return v;
    }

    private static double Real(string token, LineReader lines)
    {
        if (!NumberText.TryParseReal(token, out double x) || !double.IsFinite(x)) throw lines.Error($"'{ExtXyzReader.Shorten(token)}' is not a finite number");
        return x;
    }
}
