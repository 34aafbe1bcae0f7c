using MDEngine.Geometry;
using MDEngine.Optimize;
using MDEngine.Potentials;

namespace MDEngine.Tests.Optimize;

public class FrechetCellFilterTests
{
    /// <summary>The generalized forces are minus the gradient of the enthalpy E + pV with respect to the filter's
    /// coordinates (atoms in the undeformed frame and the scaled log-deformation), checked by central differences
    /// at a deformed, rattled state.</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void Forces_are_the_enthalpy_gradient(double pressure)
    {
        var c = AseReference.Find("strained", "FIRE", cell: true);
        var s = c.Start;
        var calculator = new BoundPotential(AseReference.Potential, skin: 0.0);
        var filter = new FrechetCellFilter(s, scalarPressure: pressure);
        // Move away from the reference cell so that U ≠ 0 and the Fréchet derivative matters.
        var x0 = filter.GetCoordinates();
        int n = s.Count;
        var rng = new Random(3);
        for (int k = 3 * n; k < x0.Length; k++) x0[k] += 0.05 * n * (2 * rng.NextDouble() - 1);
        filter.SetCoordinates(x0);
        x0 = filter.GetCoordinates();
        var e0 = filter.Absorb(calculator.Compute(s));

        double Objective(double[] x)
        {
            filter.SetCoordinates(x);
            return filter.Absorb(calculator.Compute(s)).Objective;
        }

        int[] probes = [0, 1, 2, 3 * 7 + 1, 3 * n, 3 * n + 1, 3 * n + 4, 3 * n + 5, 3 * n + 8];
        foreach (int k in probes)
        {
            double h = 1e-5;
            var plus = (double[])x0.Clone(); plus[k] += h;
            var minus = (double[])x0.Clone(); minus[k] -= h;
            double numeric = -(Objective(plus) - Objective(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - e0.Forces[k]) < 1e-6 * Math.Max(1, Math.Abs(numeric)),
                $"coordinate {k}: analytic {e0.Forces[k]} numeric {numeric}");
        }
    }

    [Fact]
    public void Coordinates_round_trip()
    {
        var s = AseReference.Find("strained", "FIRE", cell: true).Start;
        var filter = new FrechetCellFilter(s);
        var x = filter.GetCoordinates();
        var rng = new Random(9);
        for (int k = 0; k < x.Length; k++) x[k] += 0.1 * (2 * rng.NextDouble() - 1);
        filter.SetCoordinates(x);
        var back = filter.GetCoordinates();
        for (int k = 0; k < x.Length; k++) Assert.Equal(x[k], back[k], 1e-10);
    }

    [Fact]
    public void Constant_volume_keeps_the_volume_and_hydrostatic_keeps_the_shape()
    {
        var c = AseReference.Find("strained", "FIRE", cell: true);
        var s = c.Start;
        double v0 = s.Volume;
        var calculator = new BoundPotential(AseReference.Potential);
        var constantVolume = new Relaxation(new FrechetCellFilter(s, constantVolume: true), new Fire(), calculator).Run();
        Assert.True(constantVolume.Converged);
        // Traceless steps in log F keep det F = exp(tr U) = 1 exactly.
        Assert.Equal(v0, constantVolume.Structure.Volume, 1e-8 * v0);

        var s2 = c.Start;
        var shape0 = s2.Cell.Matrix;
        var hydrostatic = new Relaxation(new FrechetCellFilter(s2, hydrostaticStrain: true), new Fire(), new BoundPotential(AseReference.Potential)).Run();
        Assert.True(hydrostatic.Converged);
        var ratio = hydrostatic.Structure.Cell.Matrix.Row(0).Length / shape0.Row(0).Length;
        Assert.True((hydrostatic.Structure.Cell.Matrix - ratio * shape0).MaxAbs() < 1e-9, "the cell changed shape");
        Assert.NotEqual(1.0, ratio, 1e-4);
    }

    [Fact]
    public void Mask_freezes_strain_components()
    {
        var s = AseReference.Find("strained", "FIRE", cell: true).Start;
        var cell0 = s.Cell.Matrix;
        // Only xx may relax.
        var mask = FrechetCellFilter.MaskFromVoigt([true, false, false, false, false, false]);
        var result = new Relaxation(new FrechetCellFilter(s, mask: mask), new Fire(), new BoundPotential(AseReference.Potential)).Run();
        Assert.True(result.Converged);
        var f = (cell0.Inverse() * result.Structure.Cell.Matrix).Transpose();
        Assert.True(Math.Abs(f.M00 - 1) > 1e-4);
        foreach (var (i, j) in new[] { (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2) })
            Assert.Equal(i == j ? 1.0 : 0.0, f[i, j], 1e-12);
    }
}
