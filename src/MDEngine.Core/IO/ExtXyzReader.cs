using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// Reads extended XYZ (and plain XYZ) frames with the conventions of ASE 3.22 (<c>ase.io.extxyz</c>):
/// <list type="bullet">
/// <item>line 1: the atom count; line 2: key=value pairs (<see cref="KeyValueLine"/>); then one line per atom with the
/// columns of <c>Properties=name:type:count:...</c> (default <c>species:S:1:pos:R:3</c>).</item>
/// <item><c>Lattice="9 numbers"</c> are the three lattice vectors in turn; with a Lattice and no <c>pbc</c> the
/// structure is periodic along all three axes, without one it is not periodic.</item>
/// <item>Columns: <c>species</c> → elements (capitalised as ASE does), <c>pos</c> → positions, <c>Z</c> → atomic
/// numbers (Z wins over species, as in ASE), <c>masses</c> → masses, <c>momenta</c> (ASE units amu·Å per ASE time
/// unit) → <see cref="Structure.Velocities"/> = p/m·<see cref="AseUnits.Femtosecond"/> in Å/fs, <c>velocities</c>
/// (taken as ASE velocities, Å per ASE time unit, what <c>atoms.get_velocities()</c> returns) → Å/fs; every
/// other column → <see cref="Structure.Arrays"/> under its own name.</item>
/// <item><c>stress</c> and <c>virial</c> with 9 numbers are 3×3 matrices in Fortran order (stored row-major in
/// <see cref="Structure.Info"/>); a 6-number stress is kept as Voigt (xx yy zz yz xz xy).</item>
/// </list>
/// Unlike ASE, every atom line must have exactly the declared number of columns, positions must be finite, and the
/// lattice vectors of periodic axes must be independent; any violation is an <see cref="InputException"/> naming
/// the 1-based line. In plain mode (format "xyz") a comment line without '=' is kept whole as Info["comment"].
/// Lattice vectors written as pseudo-atoms (<c>VEC1 x y z</c> lines after the atoms, ASE's <c>vec_cell</c>) are
/// read as ASE does: periodic along those axes, the comment line kept as Info["comment"].
/// </summary>
public static class ExtXyzReader
{
    private const string DefaultProperties = "species:S:1:pos:R:3";

    /// <summary>Reads every frame. <paramref name="plainComments"/>: comment lines without '=' are not key=value lists.</summary>
    public static List<Structure> ReadAll(TextReader text, string? fileName, bool plainComments = false) =>
        ReadSelected(text, fileName, plainComments, _ => true, out _);

    /// <summary>Reads the frames whose 0-based index <paramref name="wanted"/> accepts; the others are only checked
    /// for their length (their atom lines are not parsed), which makes picking one frame of a long trajectory fast.
    /// With <paramref name="lastNeeded"/> reading stops after that frame (as ASE does for a positive index), so a
    /// trajectory whose last frame is still being written can be read up to there.</summary>
    public static List<Structure> ReadSelected(TextReader text, string? fileName, bool plainComments, Func<int, bool> wanted, out int frameCount, int? lastNeeded = null)
    {
        var lines = new LineReader(text, fileName);
        var frames = new List<Structure>();
        frameCount = 0;
        while (true)
        {
            string? header = lines.Next();
            if (header is null || header.Trim().Length == 0)
            {
                // ASE stops at the first blank line; anything but blank lines after it is an error here.
                while (header is not null)
                {
                    if (header.Trim().Length != 0) throw lines.Error("text after a blank line that ends the frames");
                    header = lines.Next();
                }
                break;
            }
            if (wanted(frameCount)) frames.Add(ReadFrame(lines, header, plainComments));
            else SkipFrame(lines, header);
            frameCount++;
            if (frameCount - 1 == lastNeeded) break;
        }
        if (frameCount == 0) throw new InputException(fileName, null, "no frames: the file is empty");
        return frames;
    }

    private static int ParseCount(LineReader lines, string header)
    {
        if (!long.TryParse(header.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long count))
            throw lines.Error($"expected the atom count, found \"{Shorten(header)}\"");
        if (count < 0) throw lines.Error($"negative atom count {count}");
        if (count > int.MaxValue / 4) throw lines.Error($"atom count {count} is too large");
        return (int)count;
    }

    private static void SkipFrame(LineReader lines, string header)
    {
        int headerLine = lines.Number;
        int n = ParseCount(lines, header);
        for (int i = 0; i <= n; i++)
            if (lines.Next() is null)
                throw lines.Error(i == 0 ? $"the frame starting at line {headerLine} ends before its comment line"
                    : $"the frame starting at line {headerLine} declares {n} atoms but the file ends after {i - 1}", atEnd: true);
        while (lines.Peek() is { } next && next.TrimStart().StartsWith("VEC", StringComparison.Ordinal)) lines.Next();
    }

    private static Structure ReadFrame(LineReader lines, string header, bool plainComments)
    {
        int headerLine = lines.Number;
        int n = ParseCount(lines, header);

        string comment = lines.Next() ?? throw lines.Error($"the frame starting at line {headerLine} ends before its comment line", atEnd: true);
        int commentLine = lines.Number;
        // Grown as lines arrive, so that a huge declared count in a short file fails without a huge allocation.
        var atomLines = new List<string>(Math.Min(n, 1 << 16));
        for (int i = 0; i < n; i++)
            atomLines.Add(lines.Next() ?? throw lines.Error($"the frame starting at line {headerLine} declares {n} atoms but the file ends after {i}", atEnd: true));

        // Lattice vectors given as pseudo-atoms "VEC1 x y z" after the atoms (ASE reads them; the comment line
        // is then a plain comment and the columns are species and positions).
        var vectors = new List<Vec3>();
        while (lines.Peek() is { } next && next.TrimStart().StartsWith("VEC", StringComparison.Ordinal))
        {
            lines.Next();
            var t = next.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (vectors.Count == 3) throw lines.Error("more than 3 VEC lines");
            if (t[0] != $"VEC{vectors.Count + 1}") throw lines.Error($"expected VEC{vectors.Count + 1}, found {Shorten(t[0])}");
            if (t.Length != 4 || !NumberText.TryParseReal(t[1], out double x) || !NumberText.TryParseReal(t[2], out double y) || !NumberText.TryParseReal(t[3], out double z)
                || !double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(z))
                throw lines.Error($"{t[0]} needs three finite numbers");
            vectors.Add(new Vec3(x, y, z));
        }

        OrderedDictionary<string, object> info;
        Cell cell;
        Pbc pbc;
        List<Column> columns;
        if (vectors.Count > 0)
        {
            info = new OrderedDictionary<string, object>(StringComparer.Ordinal) { ["comment"] = comment.Trim() };
            columns = ParseProperties(DefaultProperties, lines, commentLine);
            var rows = new Vec3[3];
            for (int k = 0; k < vectors.Count; k++) rows[k] = vectors[k];
            cell = new Cell(Mat3.FromRows(rows[0], rows[1], rows[2]));
            pbc = new Pbc(vectors.Count > 0, vectors.Count > 1, vectors.Count > 2);
            if (PeriodicCellProblem(cell, pbc) is { } vecProblem) throw new InputException(lines.FileName, lines.Number, vecProblem);
        }
        else
        {
            info = plainComments && !comment.Contains('=')
                ? new OrderedDictionary<string, object>(StringComparer.Ordinal)
                : KeyValueLine.Parse(comment);
            if (plainComments && !comment.Contains('=') && comment.Trim().Length > 0) info["comment"] = comment.Trim();
            bool declared = info.Remove("Properties", out var p);
            columns = ParseProperties(declared ? p : DefaultProperties, lines, commentLine);
            if (plainComments && !declared) columns.AddRange(ExtraColumns(atomLines));
            bool hasLattice;
            (cell, hasLattice) = ParseLattice(info, lines, commentLine);
            pbc = ParsePbc(info, hasLattice, lines, commentLine);
            NormaliseMatrixInfo(info, lines, commentLine);
            foreach (var (key, value) in info)
                if (FiniteValues.InfoProblem(key, value) is { } infoProblem)
                    throw new InputException(lines.FileName, commentLine, $"{Shorten(infoProblem)} is not a finite number");
            if (PeriodicCellProblem(cell, pbc) is { } cellProblem) throw new InputException(lines.FileName, commentLine, cellProblem);
        }

        foreach (var c in columns) c.Allocate(n);
        int totalColumns = columns.Sum(c => c.Count);
        var ranges = new (int Start, int Length)[totalColumns];
        for (int i = 0; i < n; i++)
        {
            string line = atomLines[i];
            int lineNumber = commentLine + 1 + i;
            int found = NumberText.Tokenize(line, ranges);
            if (found != totalColumns)
                throw new InputException(lines.FileName, lineNumber, $"{found} columns, expected {totalColumns} ({string.Join(":", columns.Select(c => $"{c.Name}:{c.TypeLetter}:{c.Count}"))})");
            int t = 0;
            foreach (var c in columns) { c.Parse(i, line, ranges, t, lines.FileName, lineNumber); t += c.Count; }
        }

        return Build(columns, info, cell, pbc, n, lines, headerLine);
    }

    private static Structure Build(List<Column> columns, OrderedDictionary<string, object> info, Cell cell, Pbc pbc, int n, LineReader lines, int headerLine)
    {
        Column? Find(string name) => columns.FirstOrDefault(c => c.Name == name);
        var species = Find("species");
        var z = Find("Z");
        var pos = Find("pos") ?? throw new InputException(lines.FileName, headerLine + 1, "Properties has no pos column");
        if (pos.Type != AtomArrayType.Real || pos.Count != 3) throw new InputException(lines.FileName, headerLine + 1, "pos must be R:3");

        var numbers = new int[n];
        if (z is not null)
        {
            if (z.Type != AtomArrayType.Integer || z.Count != 1) throw new InputException(lines.FileName, headerLine + 1, "Z must be I:1");
            var zs = (int[])z.Data!;
            for (int i = 0; i < n; i++)
                if (zs[i] < 1 || zs[i] > Element.MaxZ) throw new InputException(lines.FileName, headerLine + 2 + i, $"no element with atomic number {zs[i]}");
            numbers = zs;
        }
        else if (species is not null)
        {
            if (species.Type != AtomArrayType.String || species.Count != 1) throw new InputException(lines.FileName, headerLine + 1, "species must be S:1");
            var symbols = (string[])species.Data!;
            for (int i = 0; i < n; i++)
            {
                string s = Capitalize(symbols[i]);
                if (!Element.TryFromSymbol(s, out var e)) throw new InputException(lines.FileName, headerLine + 2 + i, $"unknown element '{symbols[i]}'");
                numbers[i] = e.Z;
            }
        }
        else throw new InputException(lines.FileName, headerLine + 1, "Properties has neither species nor Z");

        var positions = Structure.ToVec3((double[])pos.Data!);
        for (int i = 0; i < n; i++)
            if (!positions[i].IsFinite) throw new InputException(lines.FileName, headerLine + 2 + i, "position is not a finite number");

        double[]? masses = null;
        var massColumn = Find("masses");
        if (massColumn is not null)
        {
            if (massColumn.Type != AtomArrayType.Real || massColumn.Count != 1) throw new InputException(lines.FileName, headerLine + 1, "masses must be R:1");
            masses = (double[])massColumn.Data!;
            for (int i = 0; i < n; i++)
                if (!(masses[i] > 0) || !double.IsFinite(masses[i])) throw new InputException(lines.FileName, headerLine + 2 + i, $"mass {masses[i]} is not a positive number");
        }

        var structure = new Structure(numbers, positions, cell, pbc, masses);
        foreach (var (k, v) in info) structure.Info[k] = v;

        var momenta = Find("momenta");
        var velocities = Find("velocities");
        if (momenta is not null && velocities is not null) throw new InputException(lines.FileName, headerLine + 1, "both momenta and velocities columns: use one");
        var motion = momenta ?? velocities;
        if (motion is not null)
        {
            if (motion.Type != AtomArrayType.Real || motion.Count != 3) throw new InputException(lines.FileName, headerLine + 1, $"{motion.Name} must be R:3");
            var flat = (double[])motion.Data!;
            var v = new Vec3[n];
            for (int i = 0; i < n; i++)
            {
                var value = new Vec3(flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]);
                if (!value.IsFinite) throw new InputException(lines.FileName, headerLine + 2 + i, $"{motion.Name} is not a finite number");
                if (motion == momenta) value /= structure.Masses[i];
                v[i] = value * AseUnits.Femtosecond;
            }
            structure.Velocities = v;
        }

        foreach (var c in columns)
        {
            if (c.Name is "species" or "pos" or "Z" or "masses" or "momenta" or "velocities") continue;
            structure.Arrays[c.Name] = new AtomArray(c.Type, c.Count, c.Data!);
        }
        FiniteValues.RequireRead(structure, lines.FileName, headerLine); // e.g. momenta divided by a tiny mass
        return structure;
    }

    /// <summary>Plain XYZ files from other programs carry more columns after x y z (charges from chargemol/DDEC,
    /// radii from zeo++). When every atom line has the same number of them, each becomes a per-atom array named
    /// <c>column_K</c> (K counts from 1, as awk's $K): integers when all are integers, reals when all are reals, else
    /// strings. ASE 3.22 reads the positions of such files and drops the rest.</summary>
    private static List<Column> ExtraColumns(List<string> atomLines)
    {
        const int standard = 4; // species x y z
        if (atomLines.Count == 0) return [];
        int count = atomLines[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (count <= standard) return [];
        var tokens = atomLines.Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (tokens.Any(t => t.Length != count)) return []; // the column-count check reports the first odd line
        var extra = new List<Column>();
        for (int k = standard; k < count; k++)
        {
            var type = tokens.All(t => NumberText.TryParseInt(t[k], out _)) ? AtomArrayType.Integer
                : tokens.All(t => NumberText.TryParseReal(t[k], out _)) ? AtomArrayType.Real : AtomArrayType.String;
            extra.Add(new Column($"column_{k + 1}", type, 1));
        }
        return extra;
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    private static List<Column> ParseProperties(object value, LineReader lines, int line)
    {
        if (value is not string text) throw new InputException(lines.FileName, line, "Properties must be name:type:count triples");
        var fields = text.Split(':');
        if (fields.Length % 3 != 0) throw new InputException(lines.FileName, line, $"Properties \"{text}\" is not a list of name:type:count triples");
        var columns = new List<Column>();
        for (int k = 0; k < fields.Length; k += 3)
        {
            string name = fields[k];
            if (name.Length == 0) throw new InputException(lines.FileName, line, "Properties has an empty name");
            if (columns.Any(c => c.Name == name)) throw new InputException(lines.FileName, line, $"Properties names {name} twice");
            AtomArrayType type = fields[k + 1] switch
            {
                "R" => AtomArrayType.Real, "I" => AtomArrayType.Integer, "S" => AtomArrayType.String, "L" => AtomArrayType.Logical,
                _ => throw new InputException(lines.FileName, line, $"unknown property type '{fields[k + 1]}' for {name} (R, I, S or L)"),
            };
            if (!NumberText.TryParseInt(fields[k + 2], out int count) || count < 1)
                throw new InputException(lines.FileName, line, $"property {name} has column count '{fields[k + 2]}', not a positive integer");
            columns.Add(new Column(name, type, count));
        }
        return columns;
    }

    private static (Cell, bool) ParseLattice(OrderedDictionary<string, object> info, LineReader lines, int line)
    {
        if (!info.Remove("Lattice", out var value)) return (Cell.Empty, false);
        var numbers = AsReals(value);
        if (numbers is null || numbers.Length != 9) throw new InputException(lines.FileName, line, "Lattice must be 9 numbers");
        if (!numbers.All(double.IsFinite)) throw new InputException(lines.FileName, line, "Lattice has a number that is not finite");
        return (new Cell(Mat3.FromArray(numbers)), true);
    }

    private static Pbc ParsePbc(OrderedDictionary<string, object> info, bool hasLattice, LineReader lines, int line)
    {
        Pbc pbc;
        if (info.Remove("pbc", out var value))
        {
            pbc = value switch
            {
                bool b => new Pbc(b, b, b),
                bool[] { Length: 3 } a => new Pbc(a[0], a[1], a[2]),
                long l and (0 or 1) => new Pbc(l == 1, l == 1, l == 1),
                long[] { Length: 3 } a when a.All(x => x is 0 or 1) => new Pbc(a[0] == 1, a[1] == 1, a[2] == 1), // numpy reads 1/0 as booleans
                _ => throw new InputException(lines.FileName, line, "pbc must be T or F, once or three times"),
            };
        }
        else pbc = hasLattice ? Pbc.All : Pbc.None;
        return pbc;
    }

    // stress and virial: ASE reads 9 numbers as a 3x3 matrix in Fortran (column-major) order; keep it row-major.
    private static void NormaliseMatrixInfo(OrderedDictionary<string, object> info, LineReader lines, int line)
    {
        foreach (string key in new[] { "stress", "virial" })
        {
            if (!info.TryGetValue(key, out var value)) continue;
            var numbers = AsReals(value);
            if (numbers is null || !(numbers.Length == 9 || (key == "stress" && numbers.Length == 6)))
                throw new InputException(lines.FileName, line, key == "stress" ? "stress must be 9 numbers (or 6 in Voigt order)" : "virial must be 9 numbers");
            info[key] = numbers.Length == 9 ? Mat3.FromArray(numbers).Transpose().ToArray() : numbers;
        }
    }

    internal static double[]? AsReals(object value) => value switch
    {
        double[] d => d,
        long[] l => l.Select(x => (double)x).ToArray(),
        double d => [d],
        long l => [l],
        _ => null,
    };

    /// <summary>Checks that the lattice vectors of the periodic axes are non-zero and independent.</summary>
    internal static string? PeriodicCellProblem(Cell cell, Pbc pbc)
    {
        var vectors = Enumerable.Range(0, 3).Where(k => pbc[k]).Select(k => cell[k]).ToArray();
        if (vectors.Length == 0) return null;
        if (vectors.Any(v => v.Length == 0)) return "a periodic axis has a zero lattice vector";
        double product = vectors.Aggregate(1.0, (p, v) => p * v.Length);
        double measure = vectors.Length switch
        {
            1 => vectors[0].Length,
            2 => vectors[0].Cross(vectors[1]).Length,
            _ => Math.Abs(cell.Matrix.Determinant),
        };
        return measure > 1e-10 * product ? null : "the lattice vectors of the periodic axes are not independent (singular cell)";
    }

    internal static string Shorten(string s) => s.Length > 40 ? s[..40] + "..." : s;

    private sealed class Column
    {
        public Column(string name, AtomArrayType type, int count)
        {
            Name = name; Type = type; Count = count;
            _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public string Name { get; }
        public AtomArrayType Type { get; }
        public int Count { get; }
        public Array? Data { get; private set; }
        public char TypeLetter => "RISL"[(int)Type];

        // Species repeat on every line: reuse one string per distinct short value instead of one per atom.
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private string InternedSymbol(ReadOnlySpan<char> token)
        {
            if (token.Length > 8) return token.ToString();
            if (_lookup.TryGetValue(token, out var s)) return s;
            s = token.ToString();
            _strings[s] = s;
            return s;
        }

        public void Allocate(int atoms) => Data = Type switch
        {
            AtomArrayType.Real => new double[atoms * Count],
            AtomArrayType.Integer => new int[atoms * Count],
            AtomArrayType.String => new string[atoms * Count],
            _ => new bool[atoms * Count],
        };

        public void Parse(int atom, string line, (int Start, int Length)[] ranges, int start, string? fileName, int lineNumber)
        {
            InputException Error(string problem) => new(fileName, lineNumber, problem);
            for (int k = 0; k < Count; k++)
            {
                var (from, length) = ranges[start + k];
                var token = line.AsSpan(from, length);
                int at = atom * Count + k;
                switch (Type)
                {
                    case AtomArrayType.Real:
                        if (!NumberText.TryParseReal(token, out double d) || !double.IsFinite(d))
                            throw Error($"{Name}: '{Shorten(token.ToString())}' is not a finite number");
                        ((double[])Data!)[at] = d; break;
                    case AtomArrayType.Integer:
                        if (!NumberText.TryParseInt(token, out int i)) throw Error($"{Name}: '{Shorten(token.ToString())}' is not an integer");
                        ((int[])Data!)[at] = i; break;
                    case AtomArrayType.String:
                        ((string[])Data!)[at] = InternedSymbol(token); break;
                    default:
                        ((bool[])Data!)[at] = token switch
                        {
                            "T" or "True" => true, "F" or "False" => false,
                            _ => throw Error($"{Name}: '{Shorten(token.ToString())}' is not a logical (T, F, True, False)"),
                        };
                        break;
                }
            }
        }
    }
}
