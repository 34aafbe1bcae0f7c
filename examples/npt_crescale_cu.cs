#:project ../src/MDEngine.Core/MDEngine.Core.csproj
// Thermal expansion of copper at 0 GPa with the stochastic cell-rescaling barostat (C-rescale, NPT).
// Run from the repository root:  dotnet run -c Release examples/npt_crescale_cu.cs [POTENTIAL]
// POTENTIAL defaults to LAMMPS's Cu_u3.eam when installed, else the shipped potential for Cu ("auto").
using MDEngine.Dynamics;
using MDEngine.Geometry;
using MDEngine.Potentials;
using MDEngine.Structures;

const string lammpsCu = "/usr/share/lammps/potentials/Cu_u3.eam";
string spec = args.Length > 0 ? args[0] : File.Exists(lammpsCu) ? lammpsCu : "auto";

const double a0 = 3.615;
Vec3[] basis = [new(0, 0, 0), new(0.5, 0.5, 0), new(0.5, 0, 0.5), new(0, 0.5, 0.5)];
var fractional = new List<Vec3>();
for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++)
    foreach (var b in basis) fractional.Add((b + new Vec3(i, j, k)) / 3);
var forces = new ForceEvaluator(PotentialSpec.Parse(spec, [29]));

Console.WriteLine("   T/K        <a>/Å             <P>/GPa       (± block-averaged standard errors)");
foreach (double temperature in new[] { 300.0, 900.0 })
{
    var crystal = Structure.FromFractional(Enumerable.Repeat(29, fractional.Count).ToArray(), fractional, Cell.Cubic(3 * a0));
    var state = new MdState(crystal);
    MaxwellBoltzmann.Assign(state, temperature, seed: 11, exactTemperature: true);
    // τ_p = 1000 fs and a metal-like compressibility (1/140 GPa): stable defaults even for this small cell.
    var barostat = new CRescale(timeStep: 2, temperature, tauT: 100, pressure: 0, tauP: 1000,
        compressibility: MdUnits.GPaPerEvPerA3 / 140, CellCoupling.Isotropic, seed: 5);
    var md = new MolecularDynamics(state, barostat, new ForceEvaluator(forces.Potential));
    md.Run(1500); // equilibrate 3 ps: the volume relaxes in about τ_p β_true/β_T ≈ 1 ps
    // 108 atoms fluctuate a lot at constant pressure (δP ≈ B √(k_BT β/V) ≈ 0.7 GPa), and the volume decorrelates
    // in about 1 ps: 20 ps of sampling in 10 blocks gives mean pressures to a few tenths of a GPa.
    var blockA = new List<double>(); var blockP = new List<double>();
    for (int block = 0; block < 10; block++)
    {
        double sumA = 0, sumP = 0; int n = 0;
        for (int k = 0; k < 100; k++)
        {
            md.Run(10);
            var t = md.Sample();
            sumA += t.A / 3; sumP += t.PressureGPa!.Value; n++;
        }
        blockA.Add(sumA / n); blockP.Add(sumP / n);
    }
    static (double Mean, double Error) MeanAndError(List<double> x)
    {
        double m = x.Average();
        return (m, Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Count - 1) / x.Count));
    }
    var (meanA, errorA) = MeanAndError(blockA);
    var (meanP, errorP) = MeanAndError(blockP);
    Console.WriteLine(FormattableString.Invariant($"{temperature,6:F0}   {meanA:F4} ± {errorA:F4}   {meanP,7:F3} ± {errorP:F3}"));
}
