using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// Reads LAMMPS data files (<c>read_data</c> input, <c>write_data</c> output) in metal units: the header counts and
/// box (<c>xlo xhi</c>, ..., optional <c>xy xz yz</c>), the <c>Masses</c> section, the <c>Atoms</c> section in the
/// <c>atomic</c> (id type x y z), <c>charge</c> (id type q x y z) or <c>full</c> (id molecule type q x y z) style,
/// each with optional image flags, and <c>Velocities</c> (Å/ps, stored in Å/fs). The style comes from the
/// <c>Atoms # style</c> comment, else from the number of columns. Sections MDEngine does not use (bonds, angles,
/// coefficients) are skipped. The element of each type comes from <c>Atom Type Labels</c>, from a comment after its
/// mass (<c>1 63.546 # Cu</c>), or from the mass itself when exactly one element has it (within 0.05 amu).
/// Charges go to the per-atom array <c>initial_charges</c> and molecule ids to <c>mol-id</c>, as ASE names them.
/// Atoms are ordered by id; the structure is periodic along all three axes (a data file does not say otherwise).
/// </summary>
public static class LammpsDataReader
{
    private static readonly string[] Sections =
    [
        "Atoms", "Velocities", "Masses", "Ellipsoids", "Lines", "Triangles", "Bodies", "Bonds", "Angles", "Dihedrals",
        "Impropers", "Pair Coeffs", "PairIJ Coeffs", "Bond Coeffs", "Angle Coeffs", "Dihedral Coeffs", "Improper Coeffs",
        "BondBond Coeffs", "BondAngle Coeffs", "MiddleBondTorsion Coeffs", "EndBondTorsion Coeffs", "AngleTorsion Coeffs",
        "AngleAngleTorsion Coeffs", "BondBond13 Coeffs", "AngleAngle Coeffs", "Atom Type Labels", "Bond Type Labels",
        "Angle Type Labels", "Dihedral Type Labels", "Improper Type Labels",
    ];

    /// <summary>More atom types than this are taken as a damaged file.</summary>
    public const int MaxTypes = 10_000;

    public static Structure Read(TextReader reader, string? fileName)
    {
        var lines = new LineReader(reader, fileName);
        if (lines.Next() is null) throw new InputException(fileName, null, "empty file: not a LAMMPS data file");
        long atoms = -1;
        int types = -1;
        double[] bounds = [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN];
        double xy = 0, xz = 0, yz = 0;
        string? section = null;
        string? sectionComment = null;

        // Header: "value(s) keyword" lines up to the first section name.
        string? line;
        while ((line = lines.Next()) is not null)
        {
            var (text, comment) = SplitComment(line);
            if (text.Length == 0) continue;
            if (SectionName(text) is { } name) { section = name; sectionComment = comment; break; }
            var t = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string keyword = string.Join(' ', t.SkipWhile(IsNumber));
            switch (keyword)
            {
                case "atoms": atoms = Count(t[0], lines, "atoms"); break;
                case "atom types":
                    long declared = Count(t[0], lines, "atom types");
                    if (declared > MaxTypes) throw lines.Error($"{declared} atom types: more than {MaxTypes}");
                    types = (int)declared;
                    break;
                case "xlo xhi": bounds[0] = Real(t[0], lines); bounds[1] = Real(t[1], lines); break;
                case "ylo yhi": bounds[2] = Real(t[0], lines); bounds[3] = Real(t[1], lines); break;
                case "zlo zhi": bounds[4] = Real(t[0], lines); bounds[5] = Real(t[1], lines); break;
                case "xy xz yz": xy = Real(t[0], lines); xz = Real(t[1], lines); yz = Real(t[2], lines); break;
                default:
                    if (!IsNumber(t[0])) throw lines.Error($"unknown header line \"{ExtXyzReader.Shorten(text)}\"");
                    break; // bonds, angles, ellipsoids, ...: not used
            }
        }
        if (atoms < 0) throw new InputException(fileName, null, "the header has no 'atoms' line: not a LAMMPS data file");
        if (atoms == 0) throw new InputException(fileName, null, "no atoms");
        if (atoms > PoscarReader.MaxAtoms) throw new InputException(fileName, null, $"more than {PoscarReader.MaxAtoms} atoms");
        if (types < 1) throw new InputException(fileName, null, "the header has no 'atom types' line");
        if (bounds.Any(double.IsNaN)) throw new InputException(fileName, null, "the header lacks one of xlo xhi, ylo yhi, zlo zhi");
        var box = new LammpsBox(bounds[0], bounds[1], bounds[2], bounds[3], bounds[4], bounds[5], xy, xz, yz);
        if (!(box.XHi > box.XLo && box.YHi > box.YLo && box.ZHi > box.ZLo)) throw new InputException(fileName, null, "the box has a length that is not positive");

        var masses = new double?[types + 1];
        var symbols = new string?[types + 1];
        var rows = new Dictionary<long, (int Type, Vec3 Position, double? Charge, long? Molecule, int Line)>();
        var velocities = new Dictionary<long, Vec3>();
        while (section is not null)
        {
            string current = section;
            string? style = current == "Atoms" ? sectionComment?.Trim().Split(' ')[0] : null;
            section = null;
            while ((line = lines.Next()) is not null)
            {
                var (text, comment) = SplitComment(line);
                if (text.Length == 0) continue;
                if (SectionName(text) is { } next) { section = next; sectionComment = comment; break; }
                var t = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                switch (current)
                {
                    case "Masses":
                    {
                        int type = Type(t[0], types, lines);
                        if (t.Length < 2) throw lines.Error("a Masses line needs a type and a mass");
                        double mass = Real(t[1], lines);
                        if (!(mass > 0)) throw lines.Error($"mass {t[1]} is not positive");
                        masses[type] = mass;
                        if (comment?.Trim().Split(' ')[0] is { Length: > 0 } label && Element.TryFromSymbol(label, out _)) symbols[type] ??= label;
                        break;
                    }
                    case "Atom Type Labels":
                    {
                        int type = Type(t[0], types, lines);
                        if (t.Length >= 2 && Element.TryFromSymbol(t[1], out _)) symbols[type] = t[1];
                        break;
                    }
                    case "Atoms":
                        style ??= t.Length switch { 5 or 8 => "atomic", 6 or 9 => "charge", 7 or 10 => "full", _ => null }
                            ?? throw lines.Error($"{t.Length} columns: not the atomic, charge or full atom style");
                        ReadAtom(t, style, types, lines, rows);
                        if (rows.Count > atoms) throw lines.Error($"more Atoms lines than the {atoms} atoms of the header");
                        break;
                    case "Velocities":
                        if (t.Length < 4) throw lines.Error($"{t.Length} columns in Velocities, expected id vx vy vz");
                        velocities[Count(t[0], lines, "atom id")] = new Vec3(Real(t[1], lines), Real(t[2], lines), Real(t[3], lines)) / 1000; // Å/ps → Å/fs
                        break;
                }
            }
        }
        if (rows.Count != atoms) throw new InputException(fileName, null, $"the Atoms section has {rows.Count} atoms, the header {atoms}");

        var ids = rows.Keys.Order().ToArray();
        var numbers = new int[ids.Length];
        var positions = new Vec3[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            var row = rows[ids[i]];
            numbers[i] = ElementOf(row.Type, symbols, masses, fileName, row.Line);
            positions[i] = row.Position;
        }
        var atomMasses = ids.Select((id, i) => masses[rows[id].Type] ?? Element.FromZ(numbers[i]).Mass).ToArray();
        var structure = new Structure(numbers, positions, new Cell(box.CellMatrix), Pbc.All, atomMasses);
        if (rows.Values.First().Charge is not null) structure.Arrays["initial_charges"] = AtomArray.Real(ids.Select(id => rows[id].Charge!.Value).ToArray());
        if (rows.Values.First().Molecule is not null) structure.Arrays["mol-id"] = AtomArray.Integer(ids.Select(id => (int)rows[id].Molecule!.Value).ToArray());
        if (velocities.Count > 0)
        {
            if (velocities.Count != ids.Length || ids.Any(id => !velocities.ContainsKey(id)))
                throw new InputException(fileName, null, $"the Velocities section has {velocities.Count} atoms, not the {ids.Length} of Atoms");
            structure.Velocities = ids.Select(id => velocities[id]).ToArray();
        }
        FiniteValues.RequireRead(structure, fileName);
        return structure;
    }

    private static void ReadAtom(string[] t, string style, int types, LineReader lines, Dictionary<long, (int, Vec3, double?, long?, int)> rows)
    {
        int needed = style switch { "atomic" => 5, "charge" => 6, "full" => 7, _ => throw lines.Error($"atom style '{style}' is not read (atomic, charge or full)") };
        if (t.Length != needed && t.Length != needed + 3) throw lines.Error($"{t.Length} columns for atom style {style}: expected {needed} (or {needed + 3} with image flags)");
        long id = Count(t[0], lines, "atom id");
        int at = style == "full" ? 2 : 1;
        long? molecule = style == "full" ? Count(t[1], lines, "molecule id") : null;
        int type = Type(t[at], types, lines);
        double? charge = style == "atomic" ? null : Real(t[at + 1], lines);
        int x = style == "atomic" ? 2 : at + 2;
        var position = new Vec3(Real(t[x], lines), Real(t[x + 1], lines), Real(t[x + 2], lines));
        if (!rows.TryAdd(id, (type, position, charge, molecule, lines.Number))) throw lines.Error($"atom id {id} appears twice");
    }

    private static int ElementOf(int type, string?[] symbols, double?[] masses, string? fileName, int line)
    {
        if (symbols[type] is { } symbol) return Element.FromSymbol(symbol).Z;
        if (masses[type] is { } mass)
        {
            var close = Element.All.Where(e => Math.Abs(e.Mass - mass) < 0.05).ToList();
            if (close.Count == 1) return close[0].Z;
            throw new InputException(fileName, line, FormattableString.Invariant(
                $"atom type {type} (mass {mass}) matches {(close.Count == 0 ? "no element" : string.Join(" and ", close.Select(e => e.Symbol)))}: name it after its mass ('{type} {mass} # Symbol')"));
        }
        throw new InputException(fileName, line, $"atom type {type} has no mass and no label: its element is unknown");
    }

    private static (string Text, string? Comment) SplitComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash < 0 ? (line.Trim(), null) : (line[..hash].Trim(), line[(hash + 1)..].Trim());
    }

    private static string? SectionName(string text) => Sections.FirstOrDefault(s => text == s);

    private static bool IsNumber(string token) => double.TryParse(token, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static long Count(string token, LineReader lines, string what)
    {
        if (!long.TryParse(token, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long n) || n < 0)
            throw lines.Error($"{what} '{ExtXyzReader.Shorten(token)}' is not a non-negative integer");
        return n;
    }

    private static int Type(string token, int types, LineReader lines)
    {
        if (!int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int type) || type < 1 || type > types)
            throw lines.Error($"atom type '{ExtXyzReader.Shorten(token)}' is not between 1 and {types}");
        return type;
    }

    private static double Real(string token, LineReader lines)
    {
        if (!NumberText.TryParseReal(token, out double x) || !double.IsFinite(x)) throw lines.Error($"'{ExtXyzReader.Shorten(token)}' is not a finite number");
        return x;
    }
}
