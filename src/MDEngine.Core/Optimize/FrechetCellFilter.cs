using MDEngine.Geometry;
using MDEngine.Optimize.Constraints;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>
/// Relaxes atoms and cell together, as ASE's FrechetCellFilter (ASE ≥ 3.23). The cell is the original cell
/// deformed by F = exp(U) (rows: cell = cell₀ Fᵀ); the coordinates are the atom positions mapped back by F⁻¹ and
/// the three rows of <c>U · factor</c>. The cell's generalized force is the gradient of the enthalpy with respect
/// to U, obtained by pulling the virial back through the Fréchet derivative of exp, then divided by
/// <see cref="CellFactor"/> (default: number of atoms), a simple preconditioner that puts cell and atom rows on a
/// similar scale. Options as ASE: scalar pressure (enthalpy E + pV), hydrostatic strain only, constant volume, and
/// a mask of which strain components may change.
/// </summary>
public sealed class FrechetCellFilter : IOptimizable
{
    private readonly IConstraint[] _constraints;
    private readonly Mat3 _originalCell;
    private readonly Mat3 _mask;
    private readonly bool _masked;
    private Mat3 _logDeformation;      // U = log F for the cell set last
    private Mat3 _cellAtLog;           // the cell U was computed for

    public Structure Structure { get; }
    public int Rows => Structure.Count + 3;
    public int Version { get; private set; }
    public Quantities Needs => Quantities.All;

    /// <summary>External pressure (eV/Å³).</summary>
    public double ScalarPressure { get; }
    public double CellFactor { get; }
    public bool HydrostaticStrain { get; }
    public bool ConstantVolume { get; }

    /// <param name="mask">Which strain components may relax, 3×3 (1 relaxes, 0 fixed), or null for all. Voigt masks
    /// (xx yy zz yz xz xy) can be expanded with <see cref="MaskFromVoigt"/>.</param>
    public FrechetCellFilter(Structure structure, IEnumerable<IConstraint>? constraints = null, double scalarPressure = 0,
        bool hydrostaticStrain = false, bool constantVolume = false, Mat3? mask = null, double? cellFactor = null)
    {
        if (!structure.IsCrystal)
            throw new ArgumentException("Cell relaxation needs a structure periodic in all three directions with a full-rank cell.");
        Structure = structure;
        _constraints = constraints?.ToArray() ?? [];
        _originalCell = structure.Cell.Matrix;
        _cellAtLog = _originalCell;
        _logDeformation = Mat3.Zero;
        ScalarPressure = scalarPressure;
        HydrostaticStrain = hydrostaticStrain;
        ConstantVolume = constantVolume;
        _mask = mask ?? new Mat3(1, 1, 1, 1, 1, 1, 1, 1, 1);
        _masked = mask is not null && !mask.Value.Equals(new Mat3(1, 1, 1, 1, 1, 1, 1, 1, 1));
        CellFactor = cellFactor ?? structure.Count;
    }

    public static Mat3 MaskFromVoigt(IReadOnlyList<bool> voigt)
    {
        if (voigt.Count != 6) throw new ArgumentException("A Voigt mask has 6 entries (xx yy zz yz xz xy).");
        double v(int k) => voigt[k] ? 1 : 0;
        return new Mat3(v(0), v(5), v(4), v(5), v(1), v(3), v(4), v(3), v(2));
    }

    /// <summary>F with cell = cell₀ Fᵀ, i.e. F = (cell₀⁻¹ cell)ᵀ.</summary>
    public Mat3 DeformationGradient() => (_originalCell.Inverse() * Structure.Cell.Matrix).Transpose();

    private Mat3 LogDeformation()
    {
        if (!Structure.Cell.Matrix.Equals(_cellAtLog))
        {
            _logDeformation = MatrixFunctions.Log(DeformationGradient());
            _cellAtLog = Structure.Cell.Matrix;
        }
        return _logDeformation;
    }

    public double[] GetCoordinates()
    {
        int n = Structure.Count;
        var x = new double[3 * (n + 3)];
        // Positions in the undeformed frame: r₀ = F⁻¹ r, as rows r₀ = r F⁻ᵀ.
        var inverseTransposed = DeformationGradient().Inverse().Transpose();
        for (int i = 0; i < n; i++)
        {
            var p = Structure.Positions[i] * inverseTransposed;
            x[3 * i] = p.X; x[3 * i + 1] = p.Y; x[3 * i + 2] = p.Z;
        }
        var u = LogDeformation();
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) x[3 * (n + r) + c] = CellFactor * u[r, c];
        return x;
    }

    public void SetCoordinates(ReadOnlySpan<double> x)
    {
        int n = Structure.Count;
        var u = new Mat3();
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) u[r, c] = x[3 * (n + r) + c] / CellFactor;
        var f = MatrixFunctions.Exp(u);
        var cell = _originalCell * f.Transpose();
        foreach (var c in _constraints) c.AdjustCell(Structure, ref cell);
        Structure.SetCell(new Cell(cell), scaleAtoms: true);
        if (cell.Equals(_originalCell * f.Transpose()))
        {
            _logDeformation = u;
            _cellAtLog = Structure.Cell.Matrix;
        }
        else f = DeformationGradient();
        var fT = f.Transpose();
        var proposed = new Vec3[n];
        for (int i = 0; i < n; i++) proposed[i] = new Vec3(x[3 * i], x[3 * i + 1], x[3 * i + 2]) * fT;
        foreach (var c in _constraints) c.AdjustPositions(Structure, proposed);
        Structure.SetPositions(proposed);
        Version++;
    }

    public Evaluation Absorb(PotentialResult result)
    {
        int n = Structure.Count;
        var forces = (Vec3[])(result.Forces ?? throw new InvalidOperationException("The potential returned no forces.")).Clone();
        foreach (var c in _constraints) c.AdjustForces(Structure, forces);
        var stress = result.Stress ?? throw new InvalidOperationException("Cell relaxation needs the stress; the potential returned none.");
        foreach (var c in _constraints) c.AdjustStress(Structure, ref stress);

        double volume = Structure.Volume;
        var virial = -volume * (stress + Mat3.Diagonal(ScalarPressure, ScalarPressure, ScalarPressure));
        if (HydrostaticStrain)
        {
            double t = virial.Trace / 3;
            virial = Mat3.Diagonal(t, t, t);
        }
        if (_masked)
            for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) virial[r, c] *= _mask[r, c];

        var f = DeformationGradient();
        var u = LogDeformation();
        // Gradient with respect to F (UnitCellFilter's cell force), then through F = exp(U):
        // G_U[μν] = ⟨L(U, E_μν), G_F⟩ = L(Uᵀ, G_F)[μν], the adjoint of the Fréchet derivative.
        var gradientF = virial * f.Transpose().Inverse();
        var gradientU = MatrixFunctions.ExpFrechet(u.Transpose(), gradientF);
        if (ConstantVolume)
        {
            double t = gradientU.Trace / 3;
            gradientU.M00 -= t; gradientU.M11 -= t; gradientU.M22 -= t;
        }

        var generalized = new double[3 * (n + 3)];
        for (int i = 0; i < n; i++)
        {
            var g = forces[i] * f; // row-vector force times F: force on the undeformed-frame coordinates
            generalized[3 * i] = g.X; generalized[3 * i + 1] = g.Y; generalized[3 * i + 2] = g.Z;
        }
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) generalized[3 * (n + r) + c] = gradientU[r, c] / CellFactor;

        return new Evaluation
        {
            Objective = result.Energy + ScalarPressure * volume, Energy = result.Energy, Forces = generalized,
            AtomForces = forces, Stress = stress, Raw = result,
        };
    }
}
