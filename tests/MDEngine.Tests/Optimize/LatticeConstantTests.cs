using MDEngine.Neighbors;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Optimize;

/// <summary>A cell relaxation of fcc Cu with EAM lands on the potential's lattice constant, found independently as
/// the minimum of the cohesive-energy curve E(a) (scan + golden section).</summary>
public class LatticeConstantTests
{
    private static Structure Fcc(double a) => Structure.FromFractional([29, 29, 29, 29],
        [new(0, 0, 0), new(0, 0.5, 0.5), new(0.5, 0, 0.5), new(0.5, 0.5, 0)], Cell.Cubic(a));

    [Theory]
    [InlineData("auto", "FIRE")]
    [InlineData("auto", "BFGS")]
    [InlineData("auto", "LBFGS")]
    [InlineData("Cu_u3.eam", "FIRE")]
    [InlineData("Cu_u3.eam", "LBFGS")]
    public void Relaxed_fcc_cu_has_the_lattice_constant_of_the_potential(string potentialName, string optimizer)
    {
        // auto: the shipped potentials/Cu_Zhou04.eam.alloy.
        var potential = potentialName == "auto" ? PotentialSpec.Parse("auto", [29]) : PotentialSpec.FromFile(AseReference.DataPath(potentialName));
        double Energy(double a)
        {
            var s = Fcc(a);
            return potential.Compute(s, NeighborListBuilder.Build(s, potential.Cutoff, potential.NeedsFullNeighborList), Quantities.Energy).Energy;
        }
        double a0 = LatticeScan.Minimum(Energy, 3.4, 3.9);

        // Start compressed and slightly sheared so all strain components relax.
        var start = Fcc(3.45);
        var sheared = start.Cell.Matrix;
        sheared.M01 = 0.03; sheared.M21 = -0.02;
        start.SetCell(new Cell(sheared), scaleAtoms: true);
        var relaxation = new Relaxation(new FrechetCellFilter(start), AseReference.NewOptimizer(optimizer), new BoundPotential(potential),
            new RelaxOptions { Fmax = 1e-6, MaxSteps = 2000 });
        var result = relaxation.Run();
        Assert.True(result.Converged);
        var p = result.Structure.Cell.Parameters();
        foreach (double length in new[] { p.A, p.B, p.C }) Assert.Equal(a0, length, 1e-4);
        foreach (double angle in new[] { p.Alpha, p.Beta, p.Gamma }) Assert.Equal(90.0, angle, 1e-3);
        // The shipped Cu_Zhou04.eam.alloy has a step in E(a) of 4.9e-5 eV per 4-atom cell at a = 3.61500 Å, right at
        // its minimum (LAMMPS shows the same step, so it is in the tabulated file): there the energy only agrees to
        // the size of the step. Cu_u3.eam is smooth and agrees to round-off.
        double tolerance = potentialName == "auto" ? 2e-5 * start.Count : 1e-8;
        Assert.Equal(Energy(a0), result.FinalEnergy, tolerance);
    }
}
