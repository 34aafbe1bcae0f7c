using System.Text;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// Writes extended XYZ frames in ASE 3.22's layout (<c>ase.io.extxyz.write_xyz</c>): atom count; comment line
/// <c>Lattice="..." Properties=species:S:1:pos:R:3[:masses:R:1][:momenta:R:3][:arrays...] info... pbc="T T T"</c>;
/// one line per atom. Reals are written with the shortest text that reads back to the same double (ASE writes
/// %16.8f), so files round-trip exactly. Velocities are written as ASE momenta (amu·Å per ASE time unit), which
/// ASE reads into <c>atoms.get_velocities()</c>; masses only when they differ from the element masses.
/// Each <see cref="Write"/> flushes, so a trajectory can be followed while it is written.
/// </summary>
public sealed class ExtXyzWriter : IFrameWriter
{
    private static readonly HashSet<string> ReservedColumns = new(StringComparer.Ordinal) { "species", "pos", "Z", "masses", "momenta", "velocities" };
    private readonly TextWriter _writer;
    private readonly bool _leaveOpen;

    private readonly string? _path;

    public ExtXyzWriter(TextWriter writer, bool leaveOpen = false)
    {
        _writer = writer;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Opens <paramref name="path"/> for writing (or appending) frames.</summary>
    public ExtXyzWriter(string path, bool append = false)
        : this(new StreamWriter(path, append, new UTF8Encoding(false)) { NewLine = "\n" }) => _path = path;

    public int FramesWritten { get; private set; }

    /// <summary>Appends one frame; a structure holding a non-finite number is refused before any of it is written.</summary>
    public void Write(Structure structure)
    {
        FiniteValues.RequireWritable(structure, _path);
        _writer.Write(FormatFrame(structure));
        _writer.Flush();
        FramesWritten++;
    }

    public void Dispose()
    {
        if (!_leaveOpen) _writer.Dispose();
    }

    /// <summary>The text of one frame, lines ending in '\n'.</summary>
    public static string FormatFrame(Structure s)
    {
        int n = s.Count;
        var columns = new List<(string Name, AtomArray Array)>();
        bool customMasses = Enumerable.Range(0, n).Any(i => s.Masses[i] != Element.FromZ(s.Numbers[i]).Mass);
        if (customMasses) columns.Add(("masses", AtomArray.Real(s.Masses)));
        if (s.Velocities is { } velocities)
        {
            var momenta = new double[3 * n];
            for (int i = 0; i < n; i++)
            {
                var p = s.Masses[i] * velocities[i];
                momenta[3 * i] = AseUnits.VelocityToAse(p.X);
                momenta[3 * i + 1] = AseUnits.VelocityToAse(p.Y);
                momenta[3 * i + 2] = AseUnits.VelocityToAse(p.Z);
            }
            columns.Add(("momenta", AtomArray.Real(momenta, 3)));
        }
        foreach (var (name, array) in s.Arrays)
        {
            if (ReservedColumns.Contains(name)) continue;
            if (array.Rows != n) throw new ArgumentException($"Array '{name}' has {array.Rows} rows for {n} atoms.");
            if (name.IndexOfAny([':', ' ', '"', '\t']) >= 0) throw new ArgumentException($"Array name '{name}' cannot be an extended XYZ column name.");
            columns.Add((name, array));
        }

        var text = new StringBuilder();
        text.Append(n).Append('\n');

        var comment = new StringBuilder();
        if (!s.Cell.IsEmpty)
            comment.Append("Lattice=\"").Append(string.Join(" ", s.Cell.Matrix.ToArray().Select(NumberText.Real))).Append("\" ");
        comment.Append("Properties=species:S:1:pos:R:3");
        foreach (var (name, array) in columns) comment.Append(':').Append(name).Append(':').Append("RISL"[(int)array.Type]).Append(':').Append(array.Columns);
        foreach (var (key, value) in s.Info)
        {
            if (key is "Lattice" or "Properties" or "pbc") continue;
            object written = key is "stress" or "virial" && value is double[] m ? FortranOrder(key, m) : value;
            comment.Append(' ').Append(KeyValueLine.Escape(key)).Append('=').Append(KeyValueLine.FormatValue(written));
        }
        comment.Append(" pbc=\"").Append(s.Pbc.ToString()).Append('"');
        text.Append(comment).Append('\n');

        for (int i = 0; i < n; i++)
        {
            text.Append(Element.FromZ(s.Numbers[i]).Symbol.PadRight(2));
            var r = s.Positions[i];
            AppendReal(text, r.X); AppendReal(text, r.Y); AppendReal(text, r.Z);
            foreach (var (_, array) in columns)
            {
                for (int k = 0; k < array.Columns; k++)
                {
                    int at = i * array.Columns + k;
                    switch (array.Data)
                    {
                        case double[] d: AppendReal(text, d[at]); break;
                        case int[] z: text.Append(' ').Append(z[at].ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(8)); break;
                        case bool[] b: text.Append(' ').Append(b[at] ? 'T' : 'F'); break;
                        case string[] str:
                            if (str[at].Length == 0 || str[at].Any(char.IsWhiteSpace)) throw new ArgumentException($"Array value '{str[at]}' cannot be an extended XYZ column entry.");
                            text.Append(' ').Append(str[at]); break;
                    }
                }
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    // ' ' then the shortest round-trip text of x right-aligned in 16 characters, formatted without allocating.
    private static void AppendReal(StringBuilder text, double x)
    {
        Span<char> buffer = stackalloc char[40];
        int length = NumberText.FormatReal(x, buffer);
        text.Append(' ');
        if (length < 16) text.Append(' ', 16 - length);
        text.Append(buffer[..length]);
    }

    // 3x3 info matrices are written in Fortran order, as ASE does; a 6-component stress becomes the full matrix.
    private static double[] FortranOrder(string key, double[] m) =>
        key == "stress" ? Structure.StressFromArray(m).Transpose().ToArray()
        : m.Length == 9 ? Mat3.FromArray(m).Transpose().ToArray() : m;
}
