using System.Globalization;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Symmetry;

/// <summary>One site of an asymmetric unit: an element on a Wyckoff position (free parameters x, y, z where the
/// position has them) or at explicit fractional coordinates (its orbit is generated, special positions merge).</summary>
public sealed record AsymmetricSite(string Element, char? Wyckoff, Vec3 Parameters)
{
    /// <summary>Parses "Fe:4a", "O:8c:0.1,0,0" (free parameters x,y,z), "Fe:4e:z=0.25" or "Fe:0.1,0.2,0.3".</summary>
    public static AsymmetricSite Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length < 2 || parts.Length > 3) throw new FormatException($"Cannot read the site '{text}': expected El:4a, El:4e:z=0.1 or El:x,y,z.");
        string element = parts[0].Trim();
        string second = parts[1].Trim();
        if (parts.Length == 2 && second.Contains(','))
            return new AsymmetricSite(element, null, ParseVector(second, text));
        string letterText = second.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        if (letterText.Length != 1 || !char.IsLetter(letterText[0])) throw new FormatException($"Cannot read the Wyckoff position '{second}' in '{text}'.");
        var parameters = Vec3.Zero;
        if (parts.Length == 3)
        {
            string p = parts[2].Trim();
            if (p.Contains('='))
                foreach (var assignment in p.Split(','))
                {
                    var kv = assignment.Split('=');
                    if (kv.Length != 2 || kv[0].Trim() is not ("x" or "y" or "z")) throw new FormatException($"Cannot read '{assignment}' in '{text}'.");
                    parameters[kv[0].Trim()[0] - 'x'] = double.Parse(kv[1], CultureInfo.InvariantCulture);
                }
            else parameters = ParseVector(p, text);
        }
        int multiplicity = second.Length > 1 ? int.Parse(second[..^1], CultureInfo.InvariantCulture) : 0;
        return new AsymmetricSite(element, letterText[0], parameters) { StatedMultiplicity = multiplicity };
    }

    /// <summary>The multiplicity written before the letter ("4" in "4a"), 0 when not given; checked against the table.</summary>
    public int StatedMultiplicity { get; init; }

    private static Vec3 ParseVector(string s, string text)
    {
        var v = s.Split(',').Select(x => x.Trim()).ToArray();
        if (v.Length != 3) throw new FormatException($"Expected three numbers in '{text}'.");
        return new Vec3(ParseNumber(v[0]), ParseNumber(v[1]), ParseNumber(v[2]));
    }

    private static double ParseNumber(string s)
    {
        int slash = s.IndexOf('/');
        return slash >= 0
            ? double.Parse(s[..slash], CultureInfo.InvariantCulture) / double.Parse(s[(slash + 1)..], CultureInfo.InvariantCulture)
            : double.Parse(s, CultureInfo.InvariantCulture);
    }
}

/// <summary>Builds a crystal from a space group (default setting), lattice parameters and an asymmetric unit.</summary>
public static class CrystalBuilder
{
    /// <summary>Minimum distance (Å) between atoms of different sites; closer sites overlap and are an error.</summary>
    public const double OverlapDistance = 0.5;

    /// <summary>The conventional cell of space group <paramref name="number"/> in its default setting, with the lattice
    /// in the standard orientation (a along x, b in the xy plane; hexagonal axes for rhombohedral groups).</summary>
    public static Structure Build(int number, LatticeParameters parameters, IReadOnlyList<AsymmetricSite> sites) =>
        Build(SpaceGroupDatabase.ByNumber(number), parameters, sites);

    /// <summary>As above in any Hall setting (e.g. origin choice 2, or rhombohedral axes with a = b = c).</summary>
    public static Structure Build(HallSetting setting, LatticeParameters parameters, IReadOnlyList<AsymmetricSite> sites)
    {
        CheckLattice(setting, parameters);
        var cell = Cell.FromParameters(parameters);
        var numbers = new List<int>();
        var fractional = new List<Vec3>();
        var siteOf = new List<int>();
        for (int s = 0; s < sites.Count; s++)
        {
            var site = sites[s];
            int z = Element.FromSymbol(site.Element).Z;
            Vec3 point;
            if (site.Wyckoff is char letter)
            {
                var w = setting.Wyckoff(letter);
                if (site.StatedMultiplicity != 0 && site.StatedMultiplicity != w.Multiplicity)
                    throw new ArgumentException($"Wyckoff position {letter} of {setting.InternationalShort} has multiplicity {w.Multiplicity}, not {site.StatedMultiplicity}.");
                point = w.Triplets[0].Apply(site.Parameters);
            }
            else point = site.Parameters;
            var orbit = new List<Vec3>();
            foreach (var g in setting.Operations)
            {
                var y = Fractional.Mod1(g.Apply(point));
                if (!orbit.Any(x => (Fractional.Wrap(x - y) * cell.Matrix).Length < 1e-4)) orbit.Add(y);
            }
            if (site.Wyckoff is char l && orbit.Count != setting.Wyckoff(l).Multiplicity)
                throw new ArgumentException($"The parameters {site.Parameters} put {site.Element} on a position of multiplicity {orbit.Count}, not on {setting.Wyckoff(l)}.");
            foreach (var y in orbit)
            {
                for (int k = 0; k < fractional.Count; k++)
                {
                    double d = (Fractional.Wrap(fractional[k] - y) * cell.Matrix).Length;
                    if (d < OverlapDistance)
                        throw new ArgumentException(FormattableString.Invariant(
                            $"Sites {siteOf[k] + 1} ({sites[siteOf[k]].Element}) and {s + 1} ({site.Element}) overlap: atoms {d:F3} Å apart."));
                }
                numbers.Add(z);
                fractional.Add(y);
                siteOf.Add(s);
            }
        }
        return Structure.FromFractional(numbers, fractional, cell);
    }

    private static void CheckLattice(HallSetting setting, LatticeParameters p)
    {
        bool Eq(double a, double b) => Math.Abs(a - b) < 1e-6 * Math.Max(1, Math.Abs(a));
        string? problem = setting.CrystalSystem switch
        {
            "trigonal" when setting.Choice == "R" => Eq(p.A, p.B) && Eq(p.B, p.C) && Eq(p.Alpha, p.Beta) && Eq(p.Beta, p.Gamma)
                ? null : "a = b = c and α = β = γ (rhombohedral axes)",
            "cubic" when !(Eq(p.A, p.B) && Eq(p.B, p.C) && Eq(p.Alpha, 90) && Eq(p.Beta, 90) && Eq(p.Gamma, 90)) => "a = b = c and α = β = γ = 90°",
            "tetragonal" when !(Eq(p.A, p.B) && Eq(p.Alpha, 90) && Eq(p.Beta, 90) && Eq(p.Gamma, 90)) => "a = b and α = β = γ = 90°",
            "trigonal" or "hexagonal" when !(Eq(p.A, p.B) && Eq(p.Alpha, 90) && Eq(p.Beta, 90) && Eq(p.Gamma, 120)) => "a = b, α = β = 90° and γ = 120° (hexagonal axes)",
            "orthorhombic" when !(Eq(p.Alpha, 90) && Eq(p.Beta, 90) && Eq(p.Gamma, 90)) => "α = β = γ = 90°",
            "monoclinic" when !(Eq(p.Alpha, 90) && Eq(p.Gamma, 90)) => "α = γ = 90° (unique axis b)",
            _ => null,
        };
        if (problem is not null)
            throw new ArgumentException($"Space group {setting.Number} ({setting.InternationalShort}) is {setting.CrystalSystem}: its conventional cell needs {problem}; got {p}.");
    }
}
