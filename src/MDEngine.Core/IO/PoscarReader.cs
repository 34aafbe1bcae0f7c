using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>Choices when reading a POSCAR: the species of a VASP 4 file, which has no species line.</summary>
public sealed record PoscarReadOptions(IReadOnlyList<string>? Species = null);

/// <summary>
/// Reads VASP POSCAR/CONTCAR files: comment; scale (one positive factor, a negative number meaning the cell
/// volume in Å³, or three per-axis factors); three lattice vectors; the species line (VASP 5; for VASP 4 files the
/// species come from <see cref="PoscarReadOptions.Species"/> or, as ASE does, from the element symbols and formulas
/// on the comment line, "Fe4P4O16" giving Fe P O); counts; optional "Selective dynamics" (flags kept as the
/// 3-column logical array <see cref="SelectiveDynamicsKey"/>, true = free to move); Direct or Cartesian coordinates;
/// the lattice velocity block of an NPT CONTCAR (kept in Info[<see cref="LatticeVelocitiesKey"/>]); and an optional
/// velocity block (Å/fs, Cartesian unless introduced by a "Direct" line) after a blank line, as in CONTCAR.
/// </summary>
public static class PoscarReader
{
    public const string SelectiveDynamicsKey = "selective_dynamics";

    /// <summary>Info key of the lattice velocities of an NPT CONTCAR (3×3, row-major, as VASP writes them).</summary>
    public const string LatticeVelocitiesKey = "lattice_velocities";

    /// <summary>Counts beyond this are taken as a damaged file rather than allocated.</summary>
    public const int MaxAtoms = 100_000_000;

    public static Structure Read(TextReader reader, string? fileName, PoscarReadOptions? options = null)
    {
        var lines = new LineReader(reader, fileName);
        string Need(string what) => lines.Next() ?? throw lines.Error($"the file ends where {what} should be", atEnd: true);

        string comment = Need("the comment line").Trim();
        var scaleTokens = Split(Need("the scale factor"));
        int scaleLine = lines.Number;
        var scales = scaleTokens.Select(t => Real(t, lines, "scale factor")).ToArray();
        if (scales.Length is not (1 or 3)) throw lines.Error($"the scale line has {scales.Length} numbers: expected 1 or 3");
        if (scales.Length == 3 && scales.Any(x => x <= 0)) throw lines.Error("three scale factors must all be positive");
        if (scales[0] == 0) throw lines.Error("scale factor 0");

        var rows = new Vec3[3];
        for (int k = 0; k < 3; k++)
        {
            var t = Split(Need($"lattice vector {k + 1}"));
            if (t.Length < 3) throw lines.Error($"lattice vector {k + 1} needs 3 numbers");
            rows[k] = new Vec3(Real(t[0], lines, "lattice"), Real(t[1], lines, "lattice"), Real(t[2], lines, "lattice"));
        }
        var lattice = Mat3.FromRows(rows[0], rows[1], rows[2]);
        if (!new Cell(lattice).IsFullRank) throw lines.Error("the lattice vectors are not independent (singular cell)");
        Mat3 matrix;
        if (scales.Length == 3) matrix = lattice * Mat3.Diagonal(scales[0], scales[1], scales[2]);
        else if (scales[0] < 0) matrix = Math.Cbrt(-scales[0] / Math.Abs(lattice.Determinant)) * lattice;
        else matrix = scales[0] * lattice;
        var cell = new Cell(matrix);

        var line = Split(Need("the species or counts line"));
        string[] species;
        int speciesLine = lines.Number;
        if (line.Length > 0 && line.All(t => int.TryParse(t, out _)))
        {
            speciesLine = options?.Species is null ? 1 : lines.Number;
            species = options?.Species?.ToArray() ?? SpeciesFromComment(comment, line.Length)
                ?? throw lines.Error("VASP 4 file without a species line: the species must be given (or listed on the comment line)");
            if (species.Length != line.Length) throw lines.Error($"{species.Length} species given for {line.Length} counts");
        }
        else
        {
            species = line.Select(s => s.Split('/', '_')[0]).ToArray(); // "Fe_pv" or "Fe/hash" potential names, as VASP 6 writes
            line = Split(Need("the counts line"));
            if (line.Length != species.Length) throw lines.Error($"{line.Length} counts for {species.Length} species");
        }
        var numbers = new List<int>();
        for (int k = 0; k < species.Length; k++)
        {
            if (!Element.TryFromSymbol(species[k], out var e)) throw new InputException(fileName, speciesLine, $"unknown element '{species[k]}'");
            if (!int.TryParse(line[k], out int count)) throw lines.Error($"count '{line[k]}' is not an integer");
            if (count < 0) throw lines.Error($"negative atom count {count}");
            if ((long)numbers.Count + count > MaxAtoms) throw lines.Error($"more than {MaxAtoms} atoms");
            numbers.AddRange(Enumerable.Repeat(e.Z, count));
        }
        int n = numbers.Count;
        if (n == 0) throw lines.Error("no atoms");

        string mode = Need("the coordinate mode").Trim();
        bool selective = false;
        if (mode.Length > 0 && mode[0] is 'S' or 's')
        {
            selective = true;
            mode = Need("the coordinate mode").Trim();
        }
        bool cartesian = mode.Length > 0 && mode[0] is 'C' or 'c' or 'K' or 'k';
        if (!cartesian && !(mode.Length > 0 && mode[0] is 'D' or 'd'))
            throw lines.Error($"expected Direct or Cartesian, found \"{ExtXyzReader.Shorten(mode)}\"");

        var positions = new Vec3[n];
        var flags = selective ? new bool[3 * n] : null;
        for (int i = 0; i < n; i++)
        {
            var t = Split(Need($"the position of atom {i + 1} of {n}"));
            int expected = selective ? 6 : 3;
            if (t.Length < expected) throw lines.Error($"{t.Length} columns, expected {expected}{(selective ? " (x y z and three T/F flags)" : " (x y z)")}");
            var v = new Vec3(Real(t[0], lines, "coordinate"), Real(t[1], lines, "coordinate"), Real(t[2], lines, "coordinate"));
            if (!v.IsFinite) throw lines.Error("position is not a finite number");
            positions[i] = v;
            if (selective)
                for (int k = 0; k < 3; k++)
                    flags![3 * i + k] = t[3 + k] switch
                    {
                        "T" or "t" => true, "F" or "f" => false,
                        _ => throw lines.Error($"selective dynamics flag '{t[3 + k]}' is not T or F"),
                    };
        }
        if (cartesian)
        {
            for (int i = 0; i < n; i++)
                positions[i] = scales.Length == 3 ? new Vec3(positions[i].X * scales[0], positions[i].Y * scales[1], positions[i].Z * scales[2])
                    : positions[i] * (scales[0] < 0 ? Math.Cbrt(-scales[0] / Math.Abs(lattice.Determinant)) : scales[0]);
        }
        else positions = cell.ToCartesian(positions);

        var structure = new Structure(numbers, positions, cell, Pbc.All);
        if (comment.Length > 0) structure.Info["comment"] = comment;
        if (flags is not null) structure.Arrays[SelectiveDynamicsKey] = AtomArray.Logical(flags, 3);
        // Finite numbers can overflow once scaled (1e308 × 10): name the scale line.
        FiniteValues.RequireRead(structure, fileName, scaleLine);
        structure.Velocities = ReadVelocities(lines, n, cell, structure);
        return structure;
    }

    private static Vec3[]? ReadVelocities(LineReader lines, int n, Cell cell, Structure structure)
    {
        string? line = lines.Next();
        while (line is not null && line.Trim().Length == 0) line = lines.Next();
        if (line is null) return null;
        if (line.TrimStart().StartsWith('L') || line.TrimStart().StartsWith('l'))
        {
            structure.Info[LatticeVelocitiesKey] = ReadLatticeVelocities(lines);
            line = lines.Next();
            while (line is not null && line.Trim().Length == 0) line = lines.Next();
            if (line is null) return null;
        }
        bool direct = false;
        var t = Split(line);
        if (t.Length > 0 && char.IsLetter(t[0][0]))
        {
            direct = t[0][0] is 'D' or 'd';
            line = lines.Next();
            if (line is null) return null; // a mode line alone: no velocities
        }
        var velocities = new Vec3[n];
        for (int i = 0; i < n; i++)
        {
            if (i > 0) line = lines.Next() ?? throw lines.Error($"the velocity block has {i} lines for {n} atoms", atEnd: true);
            t = Split(line!);
            if (t.Length < 3) throw lines.Error($"{t.Length} columns in the velocity block, expected 3");
            var v = new Vec3(Real(t[0], lines, "velocity"), Real(t[1], lines, "velocity"), Real(t[2], lines, "velocity"));
            if (!v.IsFinite) throw lines.Error("velocity is not a finite number");
            velocities[i] = direct ? cell.ToCartesian(v) : v;
            if (!velocities[i].IsFinite) throw lines.Error("velocity overflows once converted from fractional");
        }
        return velocities;
    }

    // As ASE's read_vasp: each word of the comment, without digits and - _ , . =, that reads as a sequence of element
    // symbols adds them in order ("Fe4P4O16" → Fe P O, "Ag Ge" → Ag Ge); other words are comment. The first
    // `count` symbols are the species.
    private static string[]? SpeciesFromComment(string comment, int count)
    {
        var species = new List<string>();
        foreach (string word in Split(comment))
        {
            string letters = new(word.Where(c => !(char.IsAsciiDigit(c) || c is '-' or '_' or ',' or '.' or '=')).ToArray());
            if (FormulaSymbols(letters) is { } symbols) species.AddRange(symbols);
        }
        return species.Count >= count ? species.Take(count).ToArray() : null;
    }

    // "FePO" → Fe, P, O: an upper-case letter with an optional lower-case one, each a known element; else null.
    private static List<string>? FormulaSymbols(string letters)
    {
        if (letters.Length == 0) return null;
        var symbols = new List<string>();
        for (int i = 0; i < letters.Length;)
        {
            if (!char.IsAsciiLetterUpper(letters[i])) return null;
            int length = i + 1 < letters.Length && char.IsAsciiLetterLower(letters[i + 1]) ? 2 : 1;
            string symbol = letters.Substring(i, length);
            if (!Element.TryFromSymbol(symbol, out _)) return null;
            symbols.Add(symbol);
            i += length;
        }
        return symbols;
    }

    // The block a CONTCAR of NPT molecular dynamics has after the positions: "Lattice velocities and vectors", an
    // optional initialisation flag, three lattice velocities and the three lattice vectors (those repeat the cell).
    private static double[] ReadLatticeVelocities(LineReader lines)
    {
        string Need() => lines.Next() ?? throw lines.Error("the file ends inside the lattice velocity block", atEnd: true);
        string line = Need();
        if (Split(line) is [var flag] && int.TryParse(flag, out _)) line = Need();
        var velocities = new double[9];
        for (int row = 0; row < 6; row++)
        {
            if (row > 0) line = Need();
            var t = Split(line);
            if (t.Length < 3) throw lines.Error($"{t.Length} numbers in the lattice velocity block, expected 3");
            for (int k = 0; k < 3; k++)
            {
                double x = Real(t[k], lines, row < 3 ? "lattice velocity" : "lattice vector");
                if (row < 3) velocities[3 * row + k] = x;
            }
        }
        return velocities;
    }

    private static string[] Split(string line)
    {
        int hash = line.IndexOfAny(['#', '!']);
        if (hash >= 0) line = line[..hash];
        return line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    private static double Real(string token, LineReader lines, string what)
    {
        if (!NumberText.TryParseReal(token, out double x) || !double.IsFinite(x)) throw lines.Error($"{what} '{ExtXyzReader.Shorten(token)}' is not a finite number");
        return x;
    }
}
