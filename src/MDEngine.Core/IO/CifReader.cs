using MDEngine.Geometry;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.IO;

/// <summary>Choices when reading a CIF file.</summary>
/// <param name="BlockIndex">Read only this data block (0-based, among all blocks of the file).</param>
/// <param name="BlockName">Read only the block named <c>data_NAME</c> (case-insensitive).</param>
/// <param name="AllowPartialOccupancy">Keep sites with occupancy below 1 (all of them, with their occupancy in the
/// per-atom array "occupancy") instead of refusing the file.</param>
/// <param name="SpaceGroupOperations">Supplies the operations of a space group named in a CIF without an operation
/// list. It is called with the Hall symbol, then the Hermann–Mauguin symbol, then the International Tables number (as
/// text), whichever the file gives, until it returns a list; null from it means it does not know that name. When not
/// given, the space-group database (<see cref="CifSpaceGroups"/>).</param>
public sealed record CifReadOptions(int? BlockIndex = null, string? BlockName = null, bool AllowPartialOccupancy = false,
    Func<string, IReadOnlyList<SymmetryOperation>?>? SpaceGroupOperations = null);

/// <summary>
/// Builds crystals from CIF files: the cell from <c>_cell_length_*</c>/<c>_cell_angle_*</c> in ASE's orientation
/// (<see cref="Cell.FromParameters(double,double,double,double,double,double)"/>, as <c>cellpar_to_cell</c>), the
/// asymmetric unit from <c>_atom_site_fract_*</c> (or <c>_atom_site_Cartn_*</c>), elements from
/// <c>_atom_site_type_symbol</c> or else <c>_atom_site_label</c>, expanded by the operations of
/// <c>_symmetry_equiv_pos_as_xyz</c> or <c>_space_group_symop_operation_xyz</c>. Images of a site that fall within
/// <see cref="DuplicateTolerance"/> (fractional, per axis, across periodic images: ASE's symprec) of an atom already
/// placed are merged, keeping the first; the order is ASE's (site by site, operation by operation). A listed site
/// that coincides with an atom of another site of the same element is merged too (ASE refuses such files); of a
/// different element it is an error naming both sites, unless partial occupancy is allowed.
/// <para>Partial occupancy is refused with an error naming the site unless
/// <see cref="CifReadOptions.AllowPartialOccupancy"/>. A file that names a space group but lists no operations is
/// expanded by <see cref="CifReadOptions.SpaceGroupOperations"/>; a file with neither is read as P1.</para>
/// </summary>
public static class CifReader
{
    public const double DuplicateTolerance = 1e-3;

    private static readonly string[] OperationTags = ["_symmetry_equiv_pos_as_xyz", "_space_group_symop_operation_xyz"];
    private static readonly string[] HallTags = ["_space_group_name_hall", "_symmetry_space_group_name_hall"];
    private static readonly string[] SymbolTags = ["_space_group_name_h-m_alt", "_symmetry_space_group_name_h-m", "_space_group_name_h-m"];
    private static readonly string[] NumberTags = ["_space_group_it_number", "_symmetry_int_tables_number", "_space_group_number"];

    /// <summary>One structure per data block that has atom sites (or just the chosen block).</summary>
    public static List<Structure> Read(TextReader reader, string? fileName, CifReadOptions? options = null)
    {
        options ??= new CifReadOptions();
        var blocks = CifDocument.Parse(reader, fileName);
        if (options.BlockIndex is { } index)
        {
            if (index < 0 || index >= blocks.Count) throw new InputException(fileName, null, $"data block {index} does not exist: the file has {blocks.Count}");
            return [Build(blocks[index], fileName, options)];
        }
        if (options.BlockName is { } name)
        {
            var block = blocks.FirstOrDefault(b => b.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InputException(fileName, null, $"no block data_{name} (blocks: {string.Join(", ", blocks.Select(b => b.Name))})");
            return [Build(block, fileName, options)];
        }
        // A damaged block that holds atom sites is an error; one that does not (a powder pattern, say) is skipped,
        // and mentioned only when no structure is left.
        var withAtoms = blocks.Where(HasAtoms).ToList();
        if (withAtoms.FirstOrDefault(b => b.Problem is not null) is { } damaged) throw damaged.Problem!;
        if (withAtoms.Count == 0)
        {
            if (blocks.FirstOrDefault(b => b.Problem is not null) is { } skipped)
                throw new InputException(fileName, skipped.Problem!.Line,
                    $"no data block has atom sites; data_{skipped.Name} was skipped: {skipped.Problem.Problem}");
            throw new InputException(fileName, null, "no data block has atom sites (_atom_site_fract_x or _atom_site_Cartn_x)");
        }
        return withAtoms.Select(b => Build(b, fileName, options)).ToList();
    }

    private static bool HasAtoms(CifBlock b) => b.LoopWith("_atom_site_fract_x") is not null || b.LoopWith("_atom_site_cartn_x") is not null
        || b.Items.ContainsKey("_atom_site_fract_x") || b.Items.ContainsKey("_atom_site_cartn_x");

    private static Structure Build(CifBlock block, string? fileName, CifReadOptions options)
    {
        if (block.Problem is { } problem) throw problem;
        var cell = ReadCell(block, fileName);
        var operations = ReadOperations(block, fileName, options.SpaceGroupOperations ?? CifSpaceGroups.Operations);

        bool fractional = block.Values("_atom_site_fract_x") is not null;
        string prefix = fractional ? "_atom_site_fract_" : "_atom_site_cartn_";
        var xs = block.Values(prefix + "x") ?? throw new InputException(fileName, block.Line, $"data_{block.Name} has no atom sites");
        var ys = block.Values(prefix + "y") ?? throw new InputException(fileName, block.Line, $"data_{block.Name}: {prefix}y is missing");
        var zs = block.Values(prefix + "z") ?? throw new InputException(fileName, block.Line, $"data_{block.Name}: {prefix}z is missing");
        if (ys.Count != xs.Count || zs.Count != xs.Count) throw new InputException(fileName, xs[0].Line, $"{prefix}x, y, z are not in the same loop");
        var labels = block.Values("_atom_site_label");
        var types = block.Values("_atom_site_type_symbol");
        var occupancies = block.Values("_atom_site_occupancy");
        foreach (var (tag, column) in new[] { ("_atom_site_label", labels), ("_atom_site_type_symbol", types), ("_atom_site_occupancy", occupancies) })
            if (column is not null && column.Count != xs.Count)
                throw new InputException(fileName, column[0].Line, $"{tag} has {column.Count} values for {xs.Count} sites (not in the loop of the coordinates)");
        if (labels is null && types is null) throw new InputException(fileName, xs[0].Line, "atom sites have neither _atom_site_type_symbol nor _atom_site_label");

        var inverse = cell.Matrix.Inverse();
        var siteElements = new List<int>();
        var siteNames = new List<string>();
        var sitePositions = new List<Vec3>();
        var siteOccupancy = new List<double>();
        for (int i = 0; i < xs.Count; i++)
        {
            int line = xs[i].Line;
            string name = labels is not null && !labels[i].IsMissing ? labels[i].Text : $"site {i + 1}";
            var symbolSource = types is not null && !types[i].IsMissing ? types[i] : labels?[i];
            if (symbolSource is null || symbolSource.Value.IsMissing) throw new InputException(fileName, line, $"{name}: no element symbol");
            var element = CifElementSymbol.Match(symbolSource.Value.Text, out string symbolProblem)
                ?? throw new InputException(fileName, symbolSource.Value.Line, $"site {name}: {symbolProblem}");
            var p = new double[3];
            var column = new[] { xs[i], ys[i], zs[i] };
            for (int k = 0; k < 3; k++)
                if (!column[k].TryGetNumber(out p[k])) throw new InputException(fileName, column[k].Line, $"{name}: coordinate '{column[k].Text}' is not a finite number");
            var position = new Vec3(p[0], p[1], p[2]);
            if (!fractional) position *= inverse;
            double occupancy = 1;
            if (occupancies is not null && !occupancies[i].IsMissing)
            {
                if (!occupancies[i].TryGetNumber(out occupancy) || occupancy <= 0 || occupancy > 1 + 1e-6)
                    throw new InputException(fileName, occupancies[i].Line, $"{name}: occupancy '{occupancies[i].Text}' is not in (0, 1]");
                if (occupancy < 1 - 1e-6 && !options.AllowPartialOccupancy)
                    throw new InputException(fileName, occupancies[i].Line,
                        $"site {name} ({element.Symbol}) has partial occupancy {occupancies[i].Text}: a disordered structure cannot be simulated as is (reading with partial sites kept, the command line's --keep-partial-sites, keeps every site with its occupancy)");
            }
            siteElements.Add(element.Z);
            siteNames.Add(name);
            sitePositions.Add(position);
            siteOccupancy.Add(occupancy);
        }

        var numbers = new List<int>();
        var positions = new List<Vec3>();
        var occupancyOut = new List<double>();
        var siteOf = new List<int>();
        for (int s = 0; s < sitePositions.Count; s++)
        {
            foreach (var op in operations)
            {
                var f = Wrap(op.Apply(sitePositions[s]));
                int duplicate = FindDuplicate(positions, f);
                if (duplicate >= 0)
                {
                    int other = siteOf[duplicate];
                    if (other != s && siteElements[other] != siteElements[s] && !options.AllowPartialOccupancy)
                        throw new InputException(fileName, xs[s].Line,
                            $"site {siteNames[s]} ({Element.FromZ(siteElements[s]).Symbol}) falls on site {siteNames[other]} ({Element.FromZ(siteElements[other]).Symbol}) by symmetry");
                    if (other == s || siteElements[other] == siteElements[s]) continue;
                }
                numbers.Add(siteElements[s]);
                positions.Add(f);
                occupancyOut.Add(siteOccupancy[s]);
                siteOf.Add(s);
            }
        }

        var structure = Structure.FromFractional(numbers, positions, cell);
        for (int i = 0; i < structure.Count; i++)
            if (!structure.Positions[i].IsFinite)
                throw new InputException(fileName, xs[siteOf[i]].Line, $"site {siteNames[siteOf[i]]}: the Cartesian position overflows (cell too large)");
        if (options.AllowPartialOccupancy && occupancyOut.Any(o => o < 1 - 1e-6)) structure.Arrays["occupancy"] = AtomArray.Real(occupancyOut.ToArray());
        FiniteValues.RequireRead(structure, fileName, block.Line);
        return structure;
    }

    // np.mod(x, 1.0) as ASE does, mapping a result of exactly 1.0 (from tiny negatives) to 0.
    private static Vec3 Wrap(Vec3 f)
    {
        for (int k = 0; k < 3; k++)
        {
            double x = f[k] - Math.Floor(f[k]);
            f[k] = x >= 1.0 ? 0.0 : x;
        }
        return f;
    }

    private static int FindDuplicate(List<Vec3> placed, Vec3 f)
    {
        for (int j = 0; j < placed.Count; j++)
        {
            bool same = true;
            for (int k = 0; k < 3 && same; k++)
            {
                double d = Math.Abs(f[k] - placed[j][k]);
                same = d < DuplicateTolerance || Math.Abs(d - 1.0) < DuplicateTolerance;
            }
            if (same) return j;
        }
        return -1;
    }

    private static Cell ReadCell(CifBlock block, string? fileName)
    {
        double Get(string tag, double? fallback)
        {
            if (!block.Items.TryGetValue(tag, out var v) || v.IsMissing)
                return fallback ?? throw new InputException(fileName, block.Line, $"data_{block.Name} has no {tag}");
            if (!v.TryGetNumber(out double x)) throw new InputException(fileName, v.Line, $"{tag} '{v.Text}' is not a number");
            return x;
        }
        double a = Get("_cell_length_a", null), b = Get("_cell_length_b", null), c = Get("_cell_length_c", null);
        double alpha = Get("_cell_angle_alpha", 90), beta = Get("_cell_angle_beta", 90), gamma = Get("_cell_angle_gamma", 90);
        if (!(a > 0 && b > 0 && c > 0)) throw new InputException(fileName, block.Items["_cell_length_a"].Line, $"cell lengths {a} {b} {c} must be positive");
        try
        {
            var cell = Cell.FromParameters(a, b, c, alpha, beta, gamma);
            if (!cell.Matrix.IsFinite || !double.IsFinite(cell.Volume))
                throw new InputException(fileName, block.Items["_cell_length_a"].Line, FormattableString.Invariant($"cell lengths {a} {b} {c}: the cell volume overflows"));
            // Angles that (nearly) close the cell: volume below 1e-6 of a·b·c.
            if (!cell.IsFullRank || cell.Volume < 1e-6 * a * b * c) throw new ArgumentException("singular");
            return cell;
        }
        catch (ArgumentException)
        {
            int line = block.Items.TryGetValue("_cell_angle_alpha", out var v) ? v.Line : block.Line;
            throw new InputException(fileName, line, FormattableString.Invariant($"cell angles α={alpha} β={beta} γ={gamma} do not form a cell (singular cell)"));
        }
    }

    private static List<SymmetryOperation> ReadOperations(CifBlock block, string? fileName, Func<string, IReadOnlyList<SymmetryOperation>?> provider)
    {
        foreach (string tag in OperationTags)
        {
            var values = block.Values(tag);
            if (values is null) continue;
            var operations = new List<SymmetryOperation>();
            foreach (var v in values)
            {
                if (v.IsMissing) continue;
                if (!SymmetryOperation.TryParse(v.Text, out var op, out string problem)) throw new InputException(fileName, v.Line, problem);
                operations.Add(op);
            }
            if (operations.Count > 0) return operations;
        }

        var names = HallTags.Concat(SymbolTags).Concat(NumberTags)
            .Select(t => block.Items.TryGetValue(t, out var v) && !v.IsMissing ? v : (CifValue?)null)
            .Where(v => v is not null).Select(v => v!.Value).ToList();
        if (names.Count == 0) return [SymmetryOperation.Identity];
        if (names.Any(v => IsP1(v.Text))) return [SymmetryOperation.Identity];
        foreach (var v in names)
            if (provider(v.Text.Trim()) is { Count: > 0 } list)
                return list.ToList();
        throw new InputException(fileName, names[0].Line,
            $"space group '{names[0].Text}' is given without its symmetry operations: expanding it needs the space-group database");
    }

    private static bool IsP1(string name)
    {
        string s = name.Replace(" ", "").Replace("_", "");
        return s is "P1" or "1" or "p1";
    }
}
