using System.Globalization;
using System.Text;
using MDEngine.Structures;

namespace MDEngine.Symmetry;

/// <summary>Writes a crystal as a CIF with its symmetry: space-group symbols and number, the symmetry operations
/// of the setting, and the asymmetric unit of the standardized conventional cell (one atom per orbit, with its
/// multiplicity and Wyckoff letter). Readers that apply the operations recover the full conventional cell.</summary>
public static class SymmetryCifWriter
{
    public static string Write(SymmetryDataset dataset, string blockName = "mdengine")
    {
        var ci = CultureInfo.InvariantCulture;
        var cell = dataset.Conventional;
        var p = cell.Cell.Parameters();
        var setting = dataset.Setting;
        var sb = new StringBuilder();
        sb.AppendLine($"data_{Sanitize(blockName)}");
        sb.AppendLine($"_chemical_formula_sum '{cell.Formula}'");
        sb.AppendLine(string.Create(ci, $"_cell_length_a {p.A:F8}"));
        sb.AppendLine(string.Create(ci, $"_cell_length_b {p.B:F8}"));
        sb.AppendLine(string.Create(ci, $"_cell_length_c {p.C:F8}"));
        sb.AppendLine(string.Create(ci, $"_cell_angle_alpha {p.Alpha:F6}"));
        sb.AppendLine(string.Create(ci, $"_cell_angle_beta {p.Beta:F6}"));
        sb.AppendLine(string.Create(ci, $"_cell_angle_gamma {p.Gamma:F6}"));
        sb.AppendLine(string.Create(ci, $"_cell_volume {cell.Volume:F6}"));
        sb.AppendLine($"_symmetry_space_group_name_H-M '{setting.International}'");
        sb.AppendLine($"_space_group_name_H-M_alt '{setting.International}'");
        sb.AppendLine($"_symmetry_space_group_name_Hall '{setting.HallSymbol}'");
        sb.AppendLine($"_space_group_name_Hall '{setting.HallSymbol}'");
        sb.AppendLine($"_symmetry_Int_Tables_number {setting.Number}");
        sb.AppendLine($"_space_group_IT_number {setting.Number}");
        sb.AppendLine($"_space_group_crystal_system {setting.CrystalSystem}");
        sb.AppendLine();
        sb.AppendLine("loop_");
        sb.AppendLine("_space_group_symop_id");
        sb.AppendLine("_space_group_symop_operation_xyz");
        for (int k = 0; k < setting.Operations.Length; k++) sb.AppendLine($"{k + 1} '{setting.Operations[k].ToXyz()}'");
        sb.AppendLine();
        sb.AppendLine("loop_");
        sb.AppendLine("_atom_site_label");
        sb.AppendLine("_atom_site_type_symbol");
        sb.AppendLine("_atom_site_symmetry_multiplicity");
        sb.AppendLine("_atom_site_Wyckoff_symbol");
        sb.AppendLine("_atom_site_fract_x");
        sb.AppendLine("_atom_site_fract_y");
        sb.AppendLine("_atom_site_fract_z");
        sb.AppendLine("_atom_site_occupancy");
        var frac = cell.FractionalPositions();
        var labelCount = new Dictionary<string, int>();
        for (int i = 0; i < cell.Count; i++)
        {
            if (i > 0 && dataset.ConventionalOrbits[i] == dataset.ConventionalOrbits[i - 1]) continue;
            int multiplicity = dataset.ConventionalOrbits.Count(o => o == dataset.ConventionalOrbits[i]);
            string symbol = Element.FromZ(cell.Numbers[i]).Symbol;
            labelCount[symbol] = labelCount.GetValueOrDefault(symbol) + 1;
            var f = Fractional.Mod1(frac[i]);
            sb.AppendLine(string.Create(ci, $"{symbol}{labelCount[symbol]} {symbol} {multiplicity} {dataset.ConventionalWyckoffs[i]} {f.X:F8} {f.Y:F8} {f.Z:F8} 1.0"));
        }
        return sb.ToString();
    }

    public static void Write(string path, SymmetryDataset dataset, string? blockName = null)
    {
        string text = Write(dataset, blockName ?? Path.GetFileNameWithoutExtension(path));
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private static string Sanitize(string name)
    {
        var s = new string(name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_').ToArray());
        return s.Length == 0 ? "mdengine" : s;
    }
}
