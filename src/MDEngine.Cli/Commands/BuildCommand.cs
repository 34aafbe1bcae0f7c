using System.CommandLine;
using System.Globalization;
using MDEngine.IO;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.Cli.Commands;

/// <summary><c>mdengine build --spacegroup N --cell a,b,c,α,β,γ --site El:4a --site El:x,y,z ... --output OUT</c>:
/// a crystal from its space group (default setting), lattice parameters and asymmetric unit.</summary>
internal static class BuildCommand
{
    public static Command Create()
    {
        var spacegroup = new Option<string>("--spacegroup") { Description = "Space-group number (1-230) or symbol (Hermann-Mauguin or Hall).", Required = true };
        var cell = new Option<string>("--cell") { Description = "Lattice parameters a,b,c,alpha,beta,gamma (Å, degrees) of the conventional cell.", Required = true };
        var sites = new Option<string[]>("--site") { Description = "A site: El:4a, El:4e:z=0.25, El:8c:x,y,z (free parameters) or El:x,y,z (fractional). Repeatable.", Required = true, AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--output", "-o") { Description = "Output structure file (.cif writes the symmetry and asymmetric unit).", Required = true };
        var command = new Command("build", "Build a crystal from a space group, lattice parameters and Wyckoff positions.");
        foreach (var o in new Option[] { spacegroup, cell, sites, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string groupText = parse.GetValue(spacegroup)!;
            var setting = SpaceGroupDatabase.FindBySymbol(groupText) ?? throw new UsageException($"--spacegroup: unknown space group '{groupText}'");
            var values = parse.GetValue(cell)!.Split(',').Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
            if (values.Length != 6 || values.Any(v => !double.IsFinite(v)))
                throw new UsageException($"--cell needs six numbers a,b,c,alpha,beta,gamma, not '{parse.GetValue(cell)}'");
            var parameters = new LatticeParameters(values[0], values[1], values[2], values[3], values[4], values[5]);
            var asymmetric = new List<AsymmetricSite>();
            foreach (var s in parse.GetValue(sites) ?? [])
            {
                try { asymmetric.Add(AsymmetricSite.Parse(s)); }
                catch (FormatException e) { throw new UsageException($"--site: {e.Message}"); }
            }
            Structure crystal;
            try { crystal = CrystalBuilder.Build(setting, parameters, asymmetric); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            catch (KeyNotFoundException e) { throw new UsageException(e.Message); }
            string outPath = parse.GetValue(output)!;
            if (outPath.EndsWith(".cif", StringComparison.OrdinalIgnoreCase))
                SymmetryCifWriter.Write(outPath, SymmetryAnalyzer.Analyze(crystal, 1e-5));
            else StructureFile.Write(outPath, crystal);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {crystal.Formula} ({crystal.Count} atoms, {setting.InternationalShort}) to {outPath}");
            return 0;
        });
        return command;
    }
}
