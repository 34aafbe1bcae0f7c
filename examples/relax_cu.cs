#:project ../src/MDEngine.Core/MDEngine.Core.csproj
// Relaxes a copper crystal with a vacancy, atoms and cell together, with the shipped EAM potential.
//   dotnet run examples/relax_cu.cs                      (potential: auto, the shipped Cu potential)
//   dotnet run examples/relax_cu.cs -- path/to/Cu_u3.eam (any potential specification)
using MDEngine.Geometry;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;

// fcc Cu, 3×3×3 conventional cells (108 atoms), one atom removed, positions slightly rattled.
var unit = Structure.FromFractional([29, 29, 29, 29],
    [new Vec3(0, 0, 0), new Vec3(0, 0.5, 0.5), new Vec3(0.5, 0, 0.5), new Vec3(0.5, 0.5, 0)], Cell.Cubic(3.55));
var crystal = Supercell.Repeat(unit, 3, 3, 3);
var random = new Random(1);
var kept = Enumerable.Range(1, crystal.Count - 1).ToArray();
var structure = crystal.Select(kept);
structure.SetPositions(structure.Positions.Select(p => p + 0.05 * new Vec3(random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray());

Potential potential;
try
{
    potential = PotentialSpec.Parse(args.Length > 0 ? args[0] : "auto", structure.Numbers);
}
catch (Exception e) when (e is PotentialCoverageException or MDEngine.IO.InputException or FileNotFoundException)
{
    Console.Error.WriteLine($"error: {e.Message}; pass a potential, e.g. dotnet run examples/relax_cu.cs -- Cu_u3.eam");
    return 2;
}
var bound = new BoundPotential(potential);   // the potential with its Verlet neighbor list, as ASE's calculator

// Atoms and cell through the Fréchet cell filter, L-BFGS as ASE's, converged when every force is below 0.01 eV/Å.
var filter = new FrechetCellFilter(structure);
var relaxation = new Relaxation(filter, new Lbfgs(), bound, new RelaxOptions { Fmax = 0.01, MaxSteps = 500 })
    .Observe(new RelaxObserver((step, _, e) => Console.WriteLine($"step {step,4}  energy {e.Energy,14:F6} eV  fmax {e.MaxForce:F5} eV/Å")));
var result = relaxation.Run();

Console.WriteLine(result.Converged ? $"converged in {result.Steps} steps ({result.ForceCalls} force calls)" : $"NOT converged after {result.Steps} steps");
Console.WriteLine($"energy {result.InitialEnergy:F6} -> {result.FinalEnergy:F6} eV");
Console.WriteLine($"cell {structure.Cell.Parameters()}; lattice constant {structure.Cell.Parameters().A / 3:F5} Å");
return result.Converged ? 0 : 3;
