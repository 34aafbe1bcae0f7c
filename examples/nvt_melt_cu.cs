#:project ../src/MDEngine.Core/MDEngine.Core.csproj
// Melting copper with an EAM potential under a Bussi thermostat (NVT).
// Run from the repository root:  dotnet run -c Release examples/nvt_melt_cu.cs [POTENTIAL]
// POTENTIAL defaults to LAMMPS's Cu_u3.eam when installed, else the shipped potential for Cu ("auto").
using MDEngine.Dynamics;
using MDEngine.Geometry;
using MDEngine.Potentials;
using MDEngine.Structures;

const string lammpsCu = "/usr/share/lammps/potentials/Cu_u3.eam";
string spec = args.Length > 0 ? args[0] : File.Exists(lammpsCu) ? lammpsCu : "auto";

// 3×3×3 conventional fcc cells of Cu (108 atoms), expanded from a = 3.615 Å to about the liquid's density so that
// the crystal is not held solid by the pressure a hot, constant-volume solid builds up.
const double a = 3.72;
Vec3[] basis = [new(0, 0, 0), new(0.5, 0.5, 0), new(0.5, 0, 0.5), new(0, 0.5, 0.5)];
var fractional = new List<Vec3>();
for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++)
    foreach (var b in basis) fractional.Add((b + new Vec3(i, j, k)) / 3);
var crystal = Structure.FromFractional(Enumerable.Repeat(29, fractional.Count).ToArray(), fractional, Cell.Cubic(3 * a));

var state = new MdState(crystal);
MaxwellBoltzmann.Assign(state, temperature: 300, seed: 2024, exactTemperature: true);
var start = (Vec3[])crystal.Positions.Clone();
var forces = new ForceEvaluator(PotentialSpec.Parse(spec, [29]));

// Heat well above the melting point (about 1350 K for this potential) at constant volume.
var md = new MolecularDynamics(state, new Bussi(timeStep: 2, temperature: 2500, tau: 100, seed: 7), forces);
string logPath = Path.Combine(Path.GetTempPath(), "melt_cu.csv");
using var log = ThermoLogObserver.ToFile(logPath, interval: 50);
md.Observers.Add(log);

Console.WriteLine("  time/ps      T/K    E_pot/eV/atom   MSD/Å²");
for (int block = 0; block < 10; block++)
{
    md.Run(500);
    double msd = 0;
    for (int i = 0; i < state.Count; i++) msd += (state.Structure.Positions[i] - start[i]).LengthSquared;
    msd /= state.Count;
    var t = md.Sample();
    Console.WriteLine(FormattableString.Invariant($"{t.TimePs,9:F2} {t.Temperature,8:F1} {t.PotentialEnergy / state.Count,15:F4} {msd,8:F2}"));
}
// A solid keeps its mean square displacement bounded (a fraction of an Å²); a liquid's grows linearly in time.
Console.WriteLine(FormattableString.Invariant($"{md.NsPerDay:F2} ns/day, {md.AtomStepsPerSecond:E2} atom-steps/s; thermo log in {logPath}"));
