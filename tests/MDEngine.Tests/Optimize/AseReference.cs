using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.Optimize;
using MDEngine.Optimize.Constraints;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.Tests.Optimize;

/// <summary>Reads the relaxations recorded by tools/reference/ase_relax.py and replays them with MDEngine.</summary>
public static class AseReference
{
    public sealed record Case(JsonElement Json)
    {
        public string Name => Json.GetProperty("name").GetString()!;
        public string Optimizer => Json.GetProperty("optimizer").GetString()!;
        public bool Cell => Json.GetProperty("cell").GetBoolean();
        public int Steps => Json.GetProperty("steps").GetInt32();
        public bool Converged => Json.GetProperty("converged").GetBoolean();
        public double FinalEnergy => Json.GetProperty("final_energy").GetDouble();
        public double[] Energies => Json.GetProperty("energies").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        public Structure Start => ReadStructure(Json.GetProperty("start"));
        public Structure Final => ReadStructure(Json.GetProperty("final"));
        public override string ToString() => $"{Name}/{Optimizer}/{(Cell ? "cell" : "fixed-cell")}";
    }

    public static string DataPath(string file) => ReferenceData.PathOf("optimize", file);

    private static readonly Lazy<JsonDocument> Document = new(() => ReferenceData.Load("optimize", "ase_relax_lj.json"));
    private static readonly Lazy<JsonDocument> EamDocument = new(() => ReferenceData.Load("optimize", "ase_relax_eam.json"));
    private static readonly Dictionary<string, Potential> EamPotentials = [];

    /// <summary>The Lennard-Jones cases.</summary>
    public static IEnumerable<Case> Cases => Document.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(c));

    /// <summary>The EAM cases (fixed cell).</summary>
    public static IEnumerable<Case> EamCases => EamDocument.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(c));

    /// <summary>The potential a case was computed with.</summary>
    public static Potential PotentialOf(Case c)
    {
        if (!c.Json.TryGetProperty("potential_file", out var file)) return Potential;
        lock (EamPotentials)
        {
            var name = file.GetString()!;
            bool shipped = c.Json.TryGetProperty("shipped", out var sh) && sh.GetBoolean();
            string path = shipped ? Path.Combine(PotentialsDirectory.Find() ?? throw new InvalidOperationException("potentials/ not found"), name) : DataPath(name);
            if (!EamPotentials.TryGetValue(name, out var p)) EamPotentials[name] = p = PotentialSpec.FromFile(path);
            return p;
        }
    }

    public static Case Find(string name, string optimizer, bool cell) =>
        Cases.Single(c => c.Name == name && c.Optimizer == optimizer && c.Cell == cell);

    public static Potential Potential
    {
        get
        {
            var p = Document.Value.RootElement.GetProperty("potential");
            return new LennardJones(p.GetProperty("epsilon").GetDouble(), p.GetProperty("sigma").GetDouble(), p.GetProperty("rc").GetDouble(), shift: true);
        }
    }

    public static Structure ReadStructure(JsonElement e)
    {
        var pbc = e.GetProperty("pbc").EnumerateArray().Select(x => x.GetBoolean()).ToArray();
        return new Structure(ReferenceData.Ints(e.GetProperty("numbers")), ReferenceData.Vectors(e.GetProperty("positions")),
            new Cell(ReferenceData.Matrix(e.GetProperty("cell"))), new Pbc(pbc[0], pbc[1], pbc[2]));
    }

    public static IOptimizable Target(Case c, Structure s)
    {
        var constraints = new List<IConstraint>();
        var fixedAtoms = c.Json.GetProperty("fixed").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        if (fixedAtoms.Length > 0) constraints.Add(new FixAtoms(fixedAtoms));
        if (c.Json.GetProperty("symmetry") is { ValueKind: JsonValueKind.Object } sym)
            constraints.Add(new FixSymmetry(s, ReadOperations(sym)));
        if (!c.Cell) return new AtomsOptimizable(s, constraints);
        double pressure = c.Json.GetProperty("pressure_gpa").GetDouble() / 160.21766208;
        return new FrechetCellFilter(s, constraints, pressure, c.Json.GetProperty("hydrostatic").GetBoolean(),
            c.Json.GetProperty("constant_volume").GetBoolean());
    }

    public static IEnumerable<SymmetryOperation> ReadOperations(JsonElement sym)
    {
        var rotations = sym.GetProperty("rotations").EnumerateArray().ToArray();
        var translations = ReferenceData.Vectors(sym.GetProperty("translations"));
        for (int o = 0; o < rotations.Length; o++)
        {
            var r = rotations[o].EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(x => x.GetInt32()).ToArray();
            yield return new SymmetryOperation(IntMat3.FromArray(r), translations[o]);
        }
    }

    /// <summary>The optimizer of a case with the options the reference passed to ASE.</summary>
    public static Optimizer NewOptimizer(Case c)
    {
        if (!c.Json.TryGetProperty("options", out var o) || !o.EnumerateObject().Any()) return NewOptimizer(c.Optimizer);
        if (c.Optimizer != "FIRE") throw new NotSupportedException(c.ToString());
        return new Fire
        {
            DownhillCheck = o.TryGetProperty("downhill_check", out var d) && d.GetBoolean(),
            DtMax = o.TryGetProperty("dtmax", out var t) ? t.GetDouble() : 1.0,
            MaxStep = o.TryGetProperty("maxstep", out var m) ? m.GetDouble() : 0.2,
        };
    }

    public static Optimizer NewOptimizer(string name) => name switch
    {
        "FIRE" => new Fire(),
        "BFGS" => new Bfgs(),
        "LBFGS" => new Lbfgs(),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Replays a case; returns the result and the energies after each step (step 0 first).</summary>
    public static (RelaxResult Result, List<double> Energies) Replay(Case c, Optimizer? optimizer = null)
    {
        var s = c.Start;
        var target = Target(c, s);
        var energies = new List<double>();
        var relaxation = new Relaxation(target, optimizer ?? NewOptimizer(c), new BoundPotential(PotentialOf(c)),
            new RelaxOptions { Fmax = c.Json.GetProperty("fmax").GetDouble(), MaxSteps = c.Json.GetProperty("max_steps").GetInt32() });
        relaxation.Observe(new RelaxObserver((_, _, e) => energies.Add(e.Energy)));
        return (relaxation.Run(), energies);
    }
}
