namespace MDEngine.Potentials.Eam;

/// <summary>
/// EAM functions on one common grid, splined the way LAMMPS's <c>pair_eam</c> does (its file2array + array2spline),
/// so that energies and forces match <c>pair_style eam</c>, <c>eam/alloy</c> and <c>eam/fs</c> to round-off.
/// Species are indexed 0..n−1; <see cref="RhoOf"/>[ti·n + tj] names the density function an atom of species ti
/// contributes at an atom of species tj; <see cref="PairOf"/>[ti·n + tj] the r·φ function of the pair.
/// </summary>
internal sealed class EamTables
{
    public required int Species { get; init; }
    public required int Nrho { get; init; }
    public required int Nr { get; init; }
    public required double Drho { get; init; }
    public required double Dr { get; init; }
    /// <summary>Densities beyond this extrapolate F linearly (energy only; F' stays at its value at the table end).</summary>
    public required double RhoMax { get; init; }
    public required double Cutoff { get; init; }
    public required double[][] FSplines { get; init; }
    public required double[][] RhoSplines { get; init; }
    public required double[][] PairSplines { get; init; }
    public required int[] RhoOf { get; init; }
    public required int[] PairOf { get; init; }

    /// <summary>Values per r-grid spline: (Nr + 1) · 7.</summary>
    public int SplineLength => (Nr + 1) * EamSpline.Stride;

    private double[]? _concatenatedRho, _concatenatedPair;

    /// <summary>The density splines end to end, function f from f · <see cref="SplineLength"/>: vectorized passes
    /// gather the coefficients of different functions through one base address.</summary>
    public double[] ConcatenatedRho => _concatenatedRho ??= RhoSplines.SelectMany(x => x).ToArray();

    /// <summary>The r·φ splines end to end, as <see cref="ConcatenatedRho"/>.</summary>
    public double[] ConcatenatedPair => _concatenatedPair ??= PairSplines.SelectMany(x => x).ToArray();

    /// <summary>Hartree·Bohr in eV·Å as LAMMPS writes it: funcfl files tabulate an effective charge Z(r) with
    /// r·φ(r) = 27.2·0.529·Z_i(r)·Z_j(r).</summary>
    private const double HartreeBohr = 27.2 * 0.529;

    private static int LowerTriangle(int a, int b)
    {
        if (a < b) (a, b) = (b, a);
        return a * (a + 1) / 2 + b;
    }

    /// <summary>Several funcfl files (one per species), re-gridded onto the coarsest spacing and the longest range
    /// among them, exactly as LAMMPS does (note it keeps one point less than the files hold).</summary>
    public static EamTables FromFuncfl(IReadOnlyList<FuncflFile> files)
    {
        int n = files.Count;
        double dr = 0, drho = 0, rmax = 0, rhomax = 0;
        foreach (var f in files)
        {
            dr = Math.Max(dr, f.Dr);
            drho = Math.Max(drho, f.Drho);
            rmax = Math.Max(rmax, (f.Nr - 1) * f.Dr);
            rhomax = Math.Max(rhomax, (f.Nrho - 1) * f.Drho);
        }
        int nr = (int)(rmax / dr + 0.5);
        int nrho = (int)(rhomax / drho + 0.5);

        var fSplines = new double[n][];
        var rhoSplines = new double[n][];
        for (int i = 0; i < n; i++)
        {
            var file = files[i];
            var fGrid = new double[nrho + 1];
            for (int m = 1; m <= nrho; m++) fGrid[m] = EamSpline.Lagrange4(file.F, file.Nrho, file.Drho, (m - 1) * drho);
            fSplines[i] = EamSpline.Build(fGrid, nrho, drho);
            var rhoGrid = new double[nr + 1];
            for (int m = 1; m <= nr; m++) rhoGrid[m] = EamSpline.Lagrange4(file.Rho, file.Nr, file.Dr, (m - 1) * dr);
            rhoSplines[i] = EamSpline.Build(rhoGrid, nr, dr);
        }
        var pairSplines = new double[n * (n + 1) / 2][];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                var grid = new double[nr + 1];
                for (int m = 1; m <= nr; m++)
                {
                    double r = (m - 1) * dr;
                    double zi = EamSpline.Lagrange4(files[i].Z, files[i].Nr, files[i].Dr, r);
                    double zj = EamSpline.Lagrange4(files[j].Z, files[j].Nr, files[j].Dr, r);
                    grid[m] = HartreeBohr * zi * zj;
                }
                pairSplines[LowerTriangle(i, j)] = EamSpline.Build(grid, nr, dr);
            }
        return new EamTables
        {
            Species = n, Nrho = nrho, Nr = nr, Drho = drho, Dr = dr, RhoMax = rhomax, Cutoff = files.Max(f => f.Cutoff),
            FSplines = fSplines, RhoSplines = rhoSplines, PairSplines = pairSplines,
            RhoOf = PairIndex(n, (a, b) => a), PairOf = PairIndex(n, LowerTriangle),
        };
    }

    /// <summary>A setfl or Finnis–Sinclair file, used on its own grid.</summary>
    public static EamTables FromSetfl(SetflFile file)
    {
        int n = file.Elements.Length;
        var fSplines = file.F.Select(f => EamSpline.Build(f, file.Nrho, file.Drho)).ToArray();
        double[][] rhoSplines = file.FinnisSinclair
            ? Enumerable.Range(0, n * n).Select(k => EamSpline.Build(file.Rho[k / n][k % n], file.Nr, file.Dr)).ToArray()
            : Enumerable.Range(0, n).Select(k => EamSpline.Build(file.Rho[k][0], file.Nr, file.Dr)).ToArray();
        var pairSplines = new double[n * (n + 1) / 2][];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) pairSplines[LowerTriangle(i, j)] = EamSpline.Build(file.RPhi[i][j], file.Nr, file.Dr);
        return new EamTables
        {
            Species = n, Nrho = file.Nrho, Nr = file.Nr, Drho = file.Drho, Dr = file.Dr, RhoMax = (file.Nrho - 1) * file.Drho, Cutoff = file.Cutoff,
            FSplines = fSplines, RhoSplines = rhoSplines, PairSplines = pairSplines,
            RhoOf = file.FinnisSinclair ? PairIndex(n, (a, b) => a * n + b) : PairIndex(n, (a, b) => a),
            PairOf = PairIndex(n, LowerTriangle),
        };
    }

    private static int[] PairIndex(int n, Func<int, int, int> index)
    {
        var t = new int[n * n];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) t[a * n + b] = index(a, b);
        return t;
    }
}
