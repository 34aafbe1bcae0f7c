using System.Text;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>Writes VASP 5 POSCAR files: scale 1, lattice vectors, species and counts for each run of equal
/// elements (the atom order is kept, as ASE does), "Selective dynamics" when the structure has the
/// <see cref="PoscarReader.SelectiveDynamicsKey"/> array, Cartesian coordinates, and the velocities (Å/fs) after a blank
/// line when present. Numbers are written for people (<see cref="NumberText.Readable"/>, within 1e-14 of the values)
/// in columns 21 characters wide.</summary>
public static class PoscarWriter
{
    public static void Write(TextWriter writer, Structure s, string? fileName = null)
    {
        CrystalFormat.Require(s, fileName, "POSCAR");
        var text = new StringBuilder();
        string comment = s.Info.TryGetValue("comment", out var c) && c is string str && !str.Contains('\n') ? str : s.Formula;
        text.Append(comment).Append('\n').Append("1.0\n");
        for (int k = 0; k < 3; k++)
        {
            var v = s.Cell[k];
            text.Append(' ').Append(NumberText.Readable(v.X).PadLeft(20)).Append(' ').Append(NumberText.Readable(v.Y).PadLeft(20)).Append(' ').Append(NumberText.Readable(v.Z).PadLeft(20)).Append('\n');
        }
        var runs = new List<(string Symbol, int Count)>();
        foreach (int z in s.Numbers)
        {
            string symbol = Element.FromZ(z).Symbol;
            if (runs.Count > 0 && runs[^1].Symbol == symbol) runs[^1] = (symbol, runs[^1].Count + 1);
            else runs.Add((symbol, 1));
        }
        text.Append(string.Concat(runs.Select(r => " " + r.Symbol.PadLeft(4)))).Append('\n');
        text.Append(string.Concat(runs.Select(r => " " + r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(4)))).Append('\n');
        bool[]? flags = null;
        if (s.Arrays.TryGetValue(PoscarReader.SelectiveDynamicsKey, out var array) && array.Type == AtomArrayType.Logical && array.Columns == 3)
        {
            flags = (bool[])array.Data;
            text.Append("Selective dynamics\n");
        }
        text.Append("Cartesian\n");
        for (int i = 0; i < s.Count; i++)
        {
            var r = s.Positions[i];
            text.Append(' ').Append(NumberText.Readable(r.X).PadLeft(20)).Append(' ').Append(NumberText.Readable(r.Y).PadLeft(20)).Append(' ').Append(NumberText.Readable(r.Z).PadLeft(20));
            if (flags is not null) for (int k = 0; k < 3; k++) text.Append(flags[3 * i + k] ? "   T" : "   F");
            text.Append('\n');
        }
        if (s.Velocities is { } velocities)
        {
            text.Append('\n');
            foreach (var v in velocities)
                text.Append(' ').Append(NumberText.Readable(v.X).PadLeft(20)).Append(' ').Append(NumberText.Readable(v.Y).PadLeft(20)).Append(' ').Append(NumberText.Readable(v.Z).PadLeft(20)).Append('\n');
        }
        writer.Write(text.ToString());
    }
}
