using MDEngine.Geometry;

namespace MDEngine.Structures;

/// <summary>
/// A set of atoms in a cell: atomic numbers, Cartesian positions (Å), the cell (lattice vectors as rows),
/// periodicity per axis, masses (amu), optional velocities (Å/fs), free per-atom arrays and per-structure info.
/// The model of ASE's <c>Atoms</c>: results of a calculation (energy, forces, stress) live in <see cref="Info"/>
/// ("energy", "stress", ...) and <see cref="Arrays"/> ("forces") so that they travel through files.
/// </summary>
public sealed class Structure
{
    public const string EnergyKey = "energy";
    public const string StressKey = "stress";
    public const string ForcesKey = "forces";

    public int[] Numbers { get; private set; }
    public Vec3[] Positions { get; private set; }
    public Cell Cell { get; set; }
    public Pbc Pbc { get; set; }
    public double[] Masses { get; private set; }
    public Vec3[]? Velocities { get; set; }

    /// <summary>Free per-atom arrays by name (extended XYZ columns other than species, pos, velocities, masses).</summary>
    public OrderedDictionary<string, AtomArray> Arrays { get; } = new(StringComparer.Ordinal);

    /// <summary>Per-structure values by name: double, long, bool, string, double[], long[], bool[] or string[].</summary>
    public OrderedDictionary<string, object> Info { get; } = new(StringComparer.Ordinal);

    public Structure(IReadOnlyList<int> numbers, IReadOnlyList<Vec3> positions, Cell cell = default, Pbc pbc = default, IReadOnlyList<double>? masses = null)
    {
        if (numbers.Count != positions.Count) throw new ArgumentException($"{numbers.Count} atomic numbers but {positions.Count} positions.");
        Numbers = numbers.ToArray();
        foreach (int z in Numbers) Element.FromZ(z);
        Positions = positions.ToArray();
        Cell = cell;
        Pbc = pbc;
        if (masses is not null && masses.Count != numbers.Count) throw new ArgumentException("One mass per atom is needed.");
        Masses = masses?.ToArray() ?? Numbers.Select(z => Element.FromZ(z).Mass).ToArray();
    }

    /// <summary>Builds a structure from element symbols.</summary>
    public static Structure FromSymbols(IReadOnlyList<string> symbols, IReadOnlyList<Vec3> positions, Cell cell = default, Pbc pbc = default) =>
        new(symbols.Select(s => Element.FromSymbol(s).Z).ToArray(), positions, cell, pbc);

    /// <summary>Builds a periodic crystal from fractional coordinates.</summary>
    public static Structure FromFractional(IReadOnlyList<int> numbers, IReadOnlyList<Vec3> fractional, Cell cell) =>
        new(numbers, cell.ToCartesian(fractional.ToArray()), cell, Pbc.All);

    public int Count => Numbers.Length;

    /// <summary>Periodic along all three axes with a non-singular cell: what cell relaxation, symmetry analysis and the
    /// crystal formats (CIF, POSCAR) need.</summary>
    public bool IsCrystal => Pbc.AllPeriodic && Cell.IsFullRank;
    public IEnumerable<string> Symbols => Numbers.Select(z => Element.FromZ(z).Symbol);

    public double? Energy
    {
        get => Info.TryGetValue(EnergyKey, out var v) ? Convert.ToDouble(v) : null;
        set { if (value is null) Info.Remove(EnergyKey); else Info[EnergyKey] = value.Value; }
    }

    /// <summary>Stress (eV/Å³, ASE's sign: negative under compression), if a calculation or file provided one.</summary>
    public Mat3? Stress
    {
        get => Info.TryGetValue(StressKey, out var v) && v is double[] s ? StressFromArray(s) : null;
        set { if (value is null) Info.Remove(StressKey); else Info[StressKey] = value.Value.ToArray(); }
    }

    public Vec3[]? Forces
    {
        get => Arrays.TryGetValue(ForcesKey, out var a) && a.Type == AtomArrayType.Real && a.Columns == 3 ? ToVec3(a.AsReal) : null;
        set { if (value is null) Arrays.Remove(ForcesKey); else Arrays[ForcesKey] = AtomArray.Real(FromVec3(value), 3); }
    }

    /// <summary>Stress from 9 numbers (row-major) or 6 in Voigt order xx yy zz yz xz xy, as ASE accepts both.</summary>
    public static Mat3 StressFromArray(ReadOnlySpan<double> s) => s.Length switch
    {
        9 => Mat3.FromArray(s),
        6 => new Mat3(s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2]),
        _ => throw new ArgumentException($"A stress has 6 or 9 components, not {s.Length}."),
    };

    public double Volume => Cell.Volume;
    public double TotalMass => Masses.Sum();

    /// <summary>Hill-order formula (C first, then H, then alphabetical; alphabetical when there is no carbon).</summary>
    public string Formula
    {
        get
        {
            var counts = Symbols.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
            IEnumerable<string> order = counts.ContainsKey("C")
                ? new[] { "C", "H" }.Where(counts.ContainsKey).Concat(counts.Keys.Where(k => k is not ("C" or "H")).OrderBy(k => k, StringComparer.Ordinal))
                : counts.Keys.OrderBy(k => k, StringComparer.Ordinal);
            return string.Concat(order.Select(s => counts[s] == 1 ? s : s + counts[s]));
        }
    }

    public Vec3[] FractionalPositions() => Cell.ToFractional(Positions);

    public void SetFractionalPositions(ReadOnlySpan<Vec3> fractional)
    {
        if (fractional.Length != Count) throw new ArgumentException("One position per atom is needed.");
        Positions = Cell.ToCartesian(fractional);
    }

    public void SetPositions(Vec3[] positions)
    {
        if (positions.Length != Count) throw new ArgumentException("One position per atom is needed.");
        Positions = positions;
    }

    public void SetMasses(double[] masses)
    {
        if (masses.Length != Count) throw new ArgumentException("One mass per atom is needed.");
        Masses = masses;
    }

    /// <summary>Wraps atoms into the cell along periodic axes (as ASE's <c>wrap()</c>).</summary>
    public void Wrap(double eps = 1e-7)
    {
        if (!Pbc.Any) return;
        var fractional = FractionalPositions();
        for (int i = 0; i < fractional.Length; i++) fractional[i] = Cell.WrapFractional(fractional[i], Pbc, eps);
        // Cartesian components along non-periodic axes are kept exactly.
        var wrapped = Cell.ToCartesian(fractional);
        Positions = wrapped;
    }

    /// <summary>Sets a new cell; with <paramref name="scaleAtoms"/> atoms keep their fractional coordinates.</summary>
    public void SetCell(Cell cell, bool scaleAtoms)
    {
        if (scaleAtoms)
        {
            var fractional = FractionalPositions();
            Cell = cell;
            Positions = cell.ToCartesian(fractional);
        }
        else Cell = cell;
    }

    /// <summary>A deep copy.</summary>
    public Structure Clone()
    {
        var copy = new Structure(Numbers, Positions, Cell, Pbc, Masses) { Velocities = (Vec3[]?)Velocities?.Clone() };
        foreach (var (k, v) in Arrays) copy.Arrays[k] = v.Clone();
        foreach (var (k, v) in Info) copy.Info[k] = v is Array a ? a.Clone() : v;
        return copy;
    }

    /// <summary>The atoms at <paramref name="atoms"/>, in that order, with their per-atom data.</summary>
    public Structure Select(IReadOnlyList<int> atoms)
    {
        var copy = new Structure(atoms.Select(i => Numbers[i]).ToArray(), atoms.Select(i => Positions[i]).ToArray(), Cell, Pbc,
            atoms.Select(i => Masses[i]).ToArray());
        if (Velocities is not null) copy.Velocities = atoms.Select(i => Velocities[i]).ToArray();
        foreach (var (k, v) in Arrays) copy.Arrays[k] = v.Select(atoms);
        foreach (var (k, v) in Info) if (k is not (EnergyKey or StressKey)) copy.Info[k] = v is Array a ? a.Clone() : v;
        return copy;
    }

    public static Vec3[] ToVec3(double[] flat)
    {
        var v = new Vec3[flat.Length / 3];
        for (int i = 0; i < v.Length; i++) v[i] = new Vec3(flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]);
        return v;
    }

    public static double[] FromVec3(ReadOnlySpan<Vec3> v)
    {
        var flat = new double[v.Length * 3];
        for (int i = 0; i < v.Length; i++) { flat[3 * i] = v[i].X; flat[3 * i + 1] = v[i].Y; flat[3 * i + 2] = v[i].Z; }
        return flat;
    }
}
