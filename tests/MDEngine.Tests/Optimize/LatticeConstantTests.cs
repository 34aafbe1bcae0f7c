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
    [InlineData("FIRE")]
    [InlineData("BFGS")]
    [InlineData("LBFGS")]
    public void Relaxed_fcc_cu_has_the_lattice_constant_of_the_potential(string optimizer)
    {
        var potential = PotentialSpec.FromFile(AseReference.DataPath("Cu_u3.eam"));
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
        var relaxation = new Relaxation(new FrechetCellFilter(start), AseReference.NewOptimizer(optimizer), new Calculator(potential),
            new RelaxOptions { Fmax = 1e-6, MaxSteps = 2000 });
        var result = relaxation.Run();
        Assert.True(result.Converged);
        var p = result.Structure.Cell.Parameters();
        foreach (double length in new[] { p.A, p.B, p.C }) Assert.Equal(a0, length, 1e-4);
        foreach (double angle in new[] { p.Alpha, p.Beta, p.Gamma }) Assert.Equal(90.0, angle, 1e-3);
        Assert.Equal(Energy(a0), result.FinalEnergy, 1e-8);
    }
}
