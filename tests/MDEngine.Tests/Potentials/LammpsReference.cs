using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.Potentials;
using MDEngine.Potentials.Eam;
using MDEngine.Structures;

namespace MDEngine.Tests.Potentials;

/// <summary>The cases of data/potentials/lammps_reference.json (written by tools/reference/lammps_classical.py).</summary>
public sealed class LammpsCase
{
    public required string Name { get; init; }
    public required JsonElement Potential { get; init; }
    public required Structure Structure { get; init; }
    public required double Energy { get; init; }
    public required Vec3[] Forces { get; init; }
    public required Mat3 Stress { get; init; }
    public required double[] AtomEnergies { get; init; }

    public override string ToString() => Name;

    public static string DataDirectory => ReferenceData.PathOf("potentials");

    private static readonly Lazy<IReadOnlyList<LammpsCase>> All = new(Load);

    public static LammpsCase Get(string name) => All.Value.Single(c => c.Name == name);

    public static IEnumerable<object[]> Names(string prefix) =>
        All.Value.Where(c => c.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(c => new object[] { c.Name });

    private static IReadOnlyList<LammpsCase> Load()
    {
        using var doc = ReferenceData.Load("potentials", "lammps_reference.json");
        var cases = new List<LammpsCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var s = new Structure(ReferenceData.Ints(c.GetProperty("numbers")), ReferenceData.Vectors(c.GetProperty("positions")),
                new Cell(ReferenceData.Matrix(c.GetProperty("cell"))), Pbc.All);
            cases.Add(new LammpsCase
            {
                Name = c.GetProperty("name").GetString()!,
                Potential = c.GetProperty("potential").Clone(),
                Structure = s,
                Energy = c.GetProperty("energy").GetDouble(),
                Forces = ReferenceData.Vectors(c.GetProperty("forces")),
                Stress = ReferenceData.Matrix(c.GetProperty("stress")),
                AtomEnergies = c.GetProperty("atom_energies").EnumerateArray().Select(x => x.GetDouble()).ToArray(),
            });
        }
        return cases;
    }


    private static string PathOf(JsonElement file) => Path.Combine(DataDirectory, file.GetString()!);

    /// <summary>The potential the case names, built the way a user would build it.</summary>
    public Potential CreatePotential()
    {
        var p = Potential;
        switch (p.GetProperty("kind").GetString())
        {
            case "eam":
                var files = p.GetProperty("files").EnumerateArray().Select(PathOf).ToArray();
                return files.Length == 1 ? EmbeddedAtom.Read(files[0]) : EmbeddedAtom.FromFuncfl(files.Select(FuncflFile.Read).ToArray(), "funcfl");
            case "shipped":
                var directory = PotentialsDirectory.Find() ?? throw new DirectoryNotFoundException("No potentials/ folder found.");
                return PotentialSpec.FromFile(Path.Combine(directory, p.GetProperty("file").GetString()!));
            case "file":
                return PotentialSpec.Parse(PathOf(p.GetProperty("file")), null);
            case "lj":
                return new LennardJones(p.GetProperty("epsilon").GetDouble(), p.GetProperty("sigma").GetDouble(), p.GetProperty("cutoff").GetDouble(), p.GetProperty("shift").GetBoolean());
            case "lj_table":
                var pairs = p.GetProperty("pairs").EnumerateArray().ToDictionary(
                    e => (Element.FromSymbol(e[0].GetString()!).Z, Element.FromSymbol(e[1].GetString()!).Z),
                    e => new LennardJones.Parameters(e[2].GetDouble(), e[3].GetDouble()));
                return LennardJones.FromPairs(pairs, p.GetProperty("cutoff").GetDouble(), p.GetProperty("shift").GetBoolean());
            case "morse":
                return new Morse(p.GetProperty("D").GetDouble(), p.GetProperty("alpha").GetDouble(), p.GetProperty("r0").GetDouble(), p.GetProperty("cutoff").GetDouble());
            default:
                throw new InvalidDataException($"Unknown potential kind in case {Name}.");
        }
    }
}
