using System.Text;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>Writes a periodic structure as a P1 CIF: cell parameters, the identity operation, and one site per atom
/// (label, type symbol, fractional coordinates, occupancy: 1, or the per-atom array "occupancy" of a structure read
/// with its partial sites kept). Numbers are written for people (<see cref="NumberText.Readable"/>: 0.5, not
/// 0.5000000000000001), within 1e-14 of the values. The cell orientation is not
/// stored in CIF: reading back gives ASE's standard orientation with the same fractional coordinates.</summary>
public static class CifWriter
{
    public static void Write(TextWriter writer, Structure s, string? fileName = null)
    {
        CrystalFormat.Require(s, fileName, "CIF");
        var p = s.Cell.Parameters();
        var text = new StringBuilder();
        text.Append("data_").Append(s.Formula).Append('\n');
        text.Append("_symmetry_space_group_name_H-M    'P 1'\n");
        text.Append("_symmetry_Int_Tables_number       1\n\n");
        void Item(string tag, double value) => text.Append(tag.PadRight(34)).Append(NumberText.Readable(value)).Append('\n');
        Item("_cell_length_a", p.A); Item("_cell_length_b", p.B); Item("_cell_length_c", p.C);
        Item("_cell_angle_alpha", p.Alpha); Item("_cell_angle_beta", p.Beta); Item("_cell_angle_gamma", p.Gamma);
        text.Append("\nloop_\n_symmetry_equiv_pos_as_xyz\n  'x, y, z'\n\n");
        text.Append("loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n_atom_site_occupancy\n");
        var fractional = s.FractionalPositions();
        double[]? occupancy = s.Arrays.TryGetValue("occupancy", out var o) && o.Data is double[] values && o.Columns == 1 ? values : null;
        var counts = new Dictionary<int, int>();
        for (int i = 0; i < s.Count; i++)
        {
            string symbol = Element.FromZ(s.Numbers[i]).Symbol;
            counts[s.Numbers[i]] = counts.GetValueOrDefault(s.Numbers[i]) + 1;
            text.Append("  ").Append((symbol + counts[s.Numbers[i]]).PadRight(7)).Append(' ').Append(symbol.PadRight(3));
            for (int k = 0; k < 3; k++) text.Append(' ').Append(NumberText.Readable(fractional[i][k]).PadLeft(18));
            text.Append(' ').Append(occupancy is null ? "1.0" : NumberText.Readable(occupancy[i])).Append('\n');
        }
        writer.Write(text.ToString());
    }
}
