using System.CommandLine;
using System.Globalization;
using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine info FILE</c>: formula, atom count, lattice parameters, volume, density and periodicity of
/// every frame.</summary>
internal static class InfoCommand
{
    // g/cm³ per amu/Å³: 1 amu = 1.66053906660e-24 g, 1 Å³ = 1e-24 cm³.
    private const double DensityUnit = 1.66053906660;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Structure file (extxyz, xyz, cif, POSCAR/CONTCAR/.vasp)." };
        var format = new Option<string?>("--format") { Description = "File format: extxyz, xyz, cif, vasp, lammps-data, lammps-dump, traj or db (default: from the file name)." };
        var command = new Command("info", "Print the formula, atom count, cell parameters, volume, density and periodicity of each frame.");
        command.Arguments.Add(file);
        var keepPartial = ReadOptions.KeepPartialSites();
        command.Options.Add(format);
        command.Options.Add(keepPartial);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            var frames = StructureFile.Read(path, parse.GetValue(format), ReadOptions.Cif(parse, keepPartial));
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"{path}: {frames.Count} frame{(frames.Count == 1 ? "" : "s")}");
            for (int f = 0; f < frames.Count; f++)
                output.WriteLine((frames.Count > 1 ? $"frame {f}: " : "") + Describe(frames[f]));
            return 0;
        });
        return command;
    }

    public static string Describe(Structure s)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string> { s.Formula, string.Format(inv, "{0} atoms", s.Count) };
        if (s.Cell.IsEmpty) parts.Add("no cell");
        else
        {
            var p = s.Cell.Parameters();
            parts.Add(string.Format(inv, "a={0:F6} b={1:F6} c={2:F6} Å α={3:F4} β={4:F4} γ={5:F4}°", p.A, p.B, p.C, p.Alpha, p.Beta, p.Gamma));
            if (s.Cell.IsFullRank)
            {
                parts.Add(string.Format(inv, "volume={0:F6} Å³", s.Volume));
                parts.Add(string.Format(inv, "density={0:F6} g/cm³", s.TotalMass * DensityUnit / s.Volume));
            }
        }
        parts.Add($"pbc={s.Pbc}");
        if (s.Energy is { } e) parts.Add(string.Format(inv, "energy={0:R} eV", e));
        if (s.Arrays.TryGetValue("occupancy", out var occupancy) && occupancy.Data is double[] o)
            parts.Add(string.Format(inv, "{0} partially occupied sites (occupancies sum to {1:F3} atoms)", o.Count(x => x < 1), o.Sum()));
        return string.Join(", ", parts);
    }
}
