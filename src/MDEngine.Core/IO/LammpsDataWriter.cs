using System.Text;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// Writes a crystal as a LAMMPS data file in metal units, for <c>read_data</c>: the box in LAMMPS's orientation
/// (<see cref="LammpsBox.FromCell"/>: positions and velocities rotated with it), one atom type per element in order of
/// atomic number with its mass and symbol (<c>1 63.546 # Cu</c>, which <see cref="LammpsDataReader"/> reads back),
/// the <c>Atoms</c> section in the <c>atomic</c> style, or <c>charge</c> when the structure has the per-atom array
/// <c>initial_charges</c>, and <c>Velocities</c> (Å/ps) when it has velocities. Numbers round-trip exactly.
/// </summary>
public static class LammpsDataWriter
{
    public static void Write(TextWriter writer, Structure s, string? fileName = null)
    {
        CrystalFormat.Require(s, fileName, "a LAMMPS data file");
        var (box, map) = LammpsBox.FromCell(s.Cell, fileName);
        var (typeOf, types) = LammpsBox.AssignTypes(s);
        double[]? charges = s.Arrays.TryGetValue("initial_charges", out var q) && q.Data is double[] c && q.Columns == 1 ? c : null;
        static string R(double x) => NumberText.Real(x);

        var text = new StringBuilder();
        text.Append(s.Formula).Append(" (written by MDEngine; units metal, atom_style ").Append(charges is null ? "atomic" : "charge").Append(")\n\n");
        text.Append(s.Count).Append(" atoms\n").Append(types.Count).Append(" atom types\n\n");
        text.Append(R(box.XLo)).Append(' ').Append(R(box.XHi)).Append(" xlo xhi\n");
        text.Append(R(box.YLo)).Append(' ').Append(R(box.YHi)).Append(" ylo yhi\n");
        text.Append(R(box.ZLo)).Append(' ').Append(R(box.ZHi)).Append(" zlo zhi\n");
        if (box.IsTriclinic) text.Append(R(box.XY)).Append(' ').Append(R(box.XZ)).Append(' ').Append(R(box.YZ)).Append(" xy xz yz\n");
        text.Append("\nMasses\n\n");
        for (int t = 0; t < types.Count; t++)
            text.Append(t + 1).Append(' ').Append(R(types[t].Mass)).Append(" # ").Append(Element.FromZ(types[t].Z).Symbol).Append('\n');
        text.Append("\nAtoms # ").Append(charges is null ? "atomic" : "charge").Append("\n\n");
        for (int i = 0; i < s.Count; i++)
        {
            var r = s.Positions[i] * map;
            text.Append(i + 1).Append(' ').Append(typeOf[i]);
            if (charges is not null) text.Append(' ').Append(R(charges[i]));
            text.Append(' ').Append(R(r.X)).Append(' ').Append(R(r.Y)).Append(' ').Append(R(r.Z)).Append('\n');
        }
        if (s.Velocities is { } velocities)
        {
            text.Append("\nVelocities\n\n");
            for (int i = 0; i < s.Count; i++)
            {
                var v = velocities[i] * map * 1000; // Å/fs → Å/ps
                text.Append(i + 1).Append(' ').Append(R(v.X)).Append(' ').Append(R(v.Y)).Append(' ').Append(R(v.Z)).Append('\n');
            }
        }
        writer.Write(text.ToString());
    }
}
