using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MDEngine.IO;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine symmetry FILE</c>: space group, Wyckoff positions and equivalent atoms of a crystal (as
/// spglib's dataset); with <c>--standardize conventional|primitive --output OUT</c> writes the standardized cell
/// (a .cif output of the conventional cell carries the symmetry: operations and asymmetric unit).</summary>
internal static class SymmetryCommand
{
    /// <summary>The largest distance tolerance accepted (Å): beyond it every structure is "symmetric".</summary>
    public const double MaxSymprec = 1.0;

    /// <summary>The default --symprec of every command (symmetry, relax's printed groups and --keep-symmetry), so
    /// that they name the same group: 1e-3 Å, which real files with rounded coordinates need (spglib's 1e-5 finds a
    /// lower group for many of them).</summary>
    public const double DefaultSymprec = 1e-3;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Structure file (periodic in three directions)." };
        var symprec = new Option<double>("--symprec") { Description = "Distance tolerance in Å (spglib's symprec).", DefaultValueFactory = _ => DefaultSymprec };
        var angle = new Option<double?>("--angle-tolerance") { Description = "Angle tolerance in degrees (default: derived from symprec, as spglib)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var standardize = new Option<string?>("--standardize") { Description = "Write the standardized cell: conventional or primitive (needs --output)." };
        var output = new Option<string?>("--output", "-o") { Description = "Output file for --standardize (.cif writes the symmetry too)." };
        var frame = new Option<int>("--frame") { Description = "Frame of a multi-frame file (default: last).", DefaultValueFactory = _ => -1 };
        var command = new Command("symmetry", "Find the space group, Wyckoff positions and equivalent atoms of a crystal.");
        command.Arguments.Add(file);
        foreach (var o in new Option[] { symprec, angle, json, standardize, output, frame }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            double tol = parse.GetValue(symprec);
            if (!(tol > 0 && tol <= MaxSymprec)) throw new UsageException(FormattableString.Invariant($"--symprec {tol}: expected a distance above 0 and at most {MaxSymprec} Å"));
            // Unset: spglib's rule (-1 to SymmetryAnalyzer), which derives the angle tolerance from symprec.
            double angleTol = parse.GetValue(angle) ?? -1;
            if (parse.GetValue(angle) is { } degrees && !(degrees > 0 && degrees < 90)) throw new UsageException("--angle-tolerance must be between 0 and 90 degrees");
            string? mode = parse.GetValue(standardize);
            string? outPath = parse.GetValue(output);
            if (mode is not null and not ("conventional" or "primitive")) throw new UsageException($"--standardize takes conventional or primitive, not '{mode}'");
            if (mode is not null && outPath is null) throw new UsageException("--standardize needs --output");
            if (mode is null && outPath is not null) throw new UsageException("--output needs --standardize conventional|primitive");
            string path = parse.GetValue(file)!;
            var structure = StructureFile.ReadFrame(path, parse.GetValue(frame));
            if (!structure.IsCrystal)
                throw new InputException(path, null, "symmetry analysis needs a cell periodic in all three directions");
            var dataset = SymmetryAnalyzer.Analyze(structure, tol, angleTol);
            var writer = parse.InvocationConfiguration.Output;
            if (mode is not null)
            {
                var cell = mode == "conventional" ? dataset.Conventional : dataset.Primitive;
                // The conventional cell goes to CIF with its symmetry (operations + asymmetric unit); the primitive
                // cell of a centred lattice is not a setting of the space group, so it is written atom by atom.
                if (mode == "conventional" && outPath!.EndsWith(".cif", StringComparison.OrdinalIgnoreCase))
                    SymmetryCifWriter.Write(outPath, dataset);
                else StructureFile.Write(outPath!, cell);
                if (!parse.GetValue(json))
                {
                    writer.WriteLine($"wrote the standardized {mode} cell ({cell.Formula}, {cell.Count} atoms) to {outPath}");
                    return 0;
                }
            }
            if (parse.GetValue(json)) writer.WriteLine(ToJson(dataset));
            else WriteText(writer, structure, dataset);
            return 0;
        });
        return command;
    }

    private static void WriteText(TextWriter w, Structure structure, SymmetryDataset d)
    {
        w.WriteLine($"space group: {d.International} ({d.Number}), Hall {d.HallNumber} '{d.HallSymbol}'");
        w.WriteLine($"point group: {d.PointGroup}, crystal system: {d.CrystalSystem}, centring {d.Centering}, {d.Operations.Count} operations in this cell");
        w.WriteLine("atom  element  wyckoff  site-symmetry  equivalent-to");
        var symbols = structure.Symbols.ToArray();
        for (int i = 0; i < structure.Count; i++)
        {
            var mult = d.Setting.Wyckoff(d.Wyckoffs[i]).Multiplicity;
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i,4}  {symbols[i],-7}  {mult}{d.Wyckoffs[i],-6}  {d.SiteSymmetrySymbols[i],-13}  {d.EquivalentAtoms[i]}"));
        }
    }

    private static string ToJson(SymmetryDataset d)
    {
        var data = new Dictionary<string, object?>
        {
            ["number"] = d.Number,
            ["international"] = d.International,
            ["hall_number"] = d.HallNumber,
            ["hall_symbol"] = d.HallSymbol,
            ["choice"] = d.Setting.Choice,
            ["pointgroup"] = d.PointGroup,
            ["crystal_system"] = d.CrystalSystem,
            ["wyckoffs"] = d.Wyckoffs.Select(c => c.ToString()).ToArray(),
            ["site_symmetry_symbols"] = d.SiteSymmetrySymbols,
            ["equivalent_atoms"] = d.EquivalentAtoms,
            ["mapping_to_primitive"] = d.MappingToPrimitive,
            ["transformation_matrix"] = Rows(d.TransformationMatrix),
            ["origin_shift"] = new[] { d.OriginShift.X, d.OriginShift.Y, d.OriginShift.Z },
            ["rotations"] = d.Operations.Operations.Select(o => new[] { o.Rotation.ToArray()[0..3], o.Rotation.ToArray()[3..6], o.Rotation.ToArray()[6..9] }).ToArray(),
            ["translations"] = d.Operations.Operations.Select(o => new[] { o.Translation.X, o.Translation.Y, o.Translation.Z }).ToArray(),
            ["std_lattice"] = Rows(d.Conventional.Cell.Matrix),
            ["std_types"] = d.Conventional.Numbers,
            ["std_positions"] = d.Conventional.FractionalPositions().Select(v => new[] { v.X, v.Y, v.Z }).ToArray(),
        };
        return JsonSerializer.Serialize(data);
    }

    private static double[][] Rows(Geometry.Mat3 m) => [[m.M00, m.M01, m.M02], [m.M10, m.M11, m.M12], [m.M20, m.M21, m.M22]];
}
