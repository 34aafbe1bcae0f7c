using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.ML.TensorNet;
using MDEngine.Optimize;
using MDEngine.Structures;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.TensorNet;

/// <summary>
/// Cell relaxations with the published weights (float32, as the command line runs them) give PBE-like lattice
/// constants: PBE overestimates these by 0–2 % against experiment, and MatPES is a PBE data set.
/// </summary>
public class TensorNetRelaxationTests(ITestOutputHelper output)
{
    private static Structure FaceCentredCubic(double a, (int Z, Vec3 Fractional)[] basis)
    {
        Vec3[] translations = [new(0, 0, 0), new(0, 0.5, 0.5), new(0.5, 0, 0.5), new(0.5, 0.5, 0)];
        var sites = translations.SelectMany(t => basis.Select(b => (b.Z, Position: (t + b.Fractional) * a))).ToArray();
        return new Structure(sites.Select(s => s.Z).ToArray(), sites.Select(s => s.Position).ToArray(), Cell.Cubic(a), Pbc.All);
    }

    [SkippableFact]
    public void CellRelaxationGivesPbeLikeLatticeConstants()
    {
        TensorNetFixture.RequireModel();
        var silicon = StructureFile.ReadFrame(Path.Combine(TensorNetFixture.RepositoryRoot(), "structures", "Si_diamond.cif"));
        var cases = new (string Name, Structure Start, double Experiment)[]
        {
            ("Si", silicon, 5.431),
            ("NaCl", FaceCentredCubic(5.64, [(11, new Vec3(0, 0, 0)), (17, new Vec3(0.5, 0, 0))]), 5.640),
            ("Cu", FaceCentredCubic(3.615, [(29, new Vec3(0, 0, 0))]), 3.615),
        };
        var targets = cases.Select(c => (IOptimizable)new FrechetCellFilter(c.Start.Clone())).ToArray();
        var results = new BatchRelaxer(TensorNetFixture.Float32).Run(targets, () => new Lbfgs(), new RelaxOptions { Fmax = 1e-3, MaxSteps = 200 });
        for (int k = 0; k < cases.Length; k++)
        {
            var cell = targets[k].Structure.Cell;
            double a = cell.A.Length;
            output.WriteLine($"{cases[k].Name}: a = {a:F4} Å (experiment {cases[k].Experiment} Å, {100 * (a / cases[k].Experiment - 1):+0.00;-0.00} %), {results[k].Steps} steps");
            Assert.True(results[k].Converged);
            Assert.InRange(a / cases[k].Experiment, 1.0, 1.02);
            Assert.Equal(a, cell.B.Length, 1e-4);
            Assert.Equal(a, cell.C.Length, 1e-4);
        }
    }
}
