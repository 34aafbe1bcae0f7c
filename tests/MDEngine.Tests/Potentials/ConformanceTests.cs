using MDEngine.Geometry;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Potentials;

/// <summary>Every classical potential passes the conformance checks: forces = −∇E and stress = (1/V)∂E/∂ε by finite
/// differences, per-atom energies sum to E, zero net force, and a skin does not change the result.</summary>
[Collection(GlobalParallelismCollection.Name)]
public class ConformanceTests
{
    private static string Lammps(string file) => Path.Combine(LammpsCase.DataDirectory, "lammps", file);

    public static IEnumerable<object[]> Cases() =>
    [
        ["lj", "lj_table_two_species_triclinic"],
        ["morse", "morse_cu_rattled"],
        ["eam funcfl", "eam_funcfl_cu_triclinic"],
        ["eam funcfl compressed", "eam_funcfl_cu_compressed"],
        ["eam two funcfl", "eam_funcfl_cuni_two_files"],
        ["eam alloy", "eam_alloy_cuni_slab"],
        ["eam fs", "eam_fs_cuzr_alloy"],
        ["sw", "sw_si_rattled"],
        ["tersoff", "tersoff_sic_disordered"],
    ];

    [Theory, MemberData(nameof(Cases))]
    public void DerivativesAreConsistent(string label, string caseName)
    {
        var c = LammpsCase.Get(caseName);
        var potential = c.CreatePotential();
        var report = PotentialConformance.Check(potential, c.Structure, atoms: [0, 1, 2, c.Structure.Count - 1]);
        Assert.True(report.MaxForceError < 1e-6 * Math.Max(1, report.MaxForce), $"{label}: {report}");
        Assert.True(report.MaxStressError < 1e-7 * Math.Max(1, report.MaxStress) + 1e-9, $"{label}: {report}");
        Assert.True(report.AtomEnergySumError < 1e-9 * Math.Abs(report.Energy) + 1e-12, $"{label}: {report}");
        Assert.True(report.NetForce < 1e-9 * c.Structure.Count, $"{label}: {report}");
        Assert.True(report.SkinEnergyDifference < 1e-10 * Math.Abs(report.Energy) && report.SkinForceDifference < 1e-10, $"{label}: {report}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void ResultsAreInvariantUnderRotationReflectionTranslationPermutationImagesSupercellAndBatching(string label, string caseName)
    {
        var c = LammpsCase.Get(caseName);
        var report = PotentialConformance.CheckInvariances(c.CreatePotential(), c.Structure, seed: 3);
        double energy = Math.Abs(PotentialConformance.Evaluate(c.CreatePotential(), c.Structure, Quantities.Energy).Energy);
        Assert.True(report.Worst < 1e-10 * Math.Max(1, energy), $"{label}: {report}");
        Assert.All(new[] { report.Rotation, report.Reflection, report.Translation, report.Permutation, report.Batch }, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void TheInvarianceCheckCatchesAPotentialThatIsNotInvariant()
    {
        // An external field E = Σ x_i breaks rotation and translation invariance: the kit must say so.
        var c = LammpsCase.Get("morse_cu_rattled");
        var report = PotentialConformance.CheckInvariances(new FieldPotential(), c.Structure, seed: 3);
        Assert.True(report.Rotation > 1e-3 && report.Translation > 1e-3, report.ToString());
        Assert.True(report.Permutation < 1e-9 && report.Batch < 1e-12, report.ToString());
    }

    /// <summary>E = Σ_i x_i (eV/Å · Å): forces (−1, 0, 0), no stress contribution from pairs.</summary>
    private sealed class FieldPotential : Potential
    {
        public override string Name => "field";
        public override double Cutoff => 1.0;
        public override void Compute(PotentialBatch batch)
        {
            for (int b = 0; b < batch.Count; b++)
            {
                var structure = batch.Structure(b);
                if (batch.ForcesOf(b) is { } forces) Array.Fill(forces, new Vec3(-1, 0, 0));
                batch.Store(b, structure.Positions.Sum(r => r.X), stress: Mat3.Zero);
            }
        }
    }

    [Fact]
    public void NonPeriodicClusterHasNoStressAndConsistentForces()
    {
        var c = LammpsCase.Get("tersoff_si_rattled");
        var cluster = c.Structure.Select(Enumerable.Range(0, 20).ToArray());
        cluster.Pbc = Pbc.None;
        var potential = c.CreatePotential();
        var result = PotentialConformance.Evaluate(potential, cluster, Quantities.All);
        Assert.Null(result.Stress);
        var report = PotentialConformance.Check(potential, cluster);
        Assert.True(report.MaxForceError < 1e-6 * Math.Max(1, report.MaxForce), report.ToString());
    }

    [Fact]
    public void ThreadedAndSingleThreadedResultsAgree()
    {
        foreach (var (caseName, given) in new (string, Potential?)[] { ("eam_fs_fe_rattled", null), ("eam_fs_fe_rattled", new LennardJones(0.1, 2.3, 6.0)), ("tersoff_sic_disordered", null) })
        {
            var c = LammpsCase.Get(caseName);
            var big = c.Structure;
            var potential = given ?? c.CreatePotential();
            int saved = PotentialParallelism.MaxThreads, savedMin = PotentialParallelism.MinAtomsPerThread;
            PotentialResult one, many;
            try
            {
                PotentialParallelism.MaxThreads = 1;
                one = PotentialConformance.Evaluate(potential, big, Quantities.All);
                PotentialParallelism.MaxThreads = 4;
                PotentialParallelism.MinAtomsPerThread = 5;
                many = PotentialConformance.Evaluate(potential, big, Quantities.All);
            }
            finally { PotentialParallelism.MaxThreads = saved; PotentialParallelism.MinAtomsPerThread = savedMin; }
            Assert.Equal(one.Energy, many.Energy, 1e-9 * Math.Abs(one.Energy));
            for (int i = 0; i < big.Count; i++) Assert.True((one.Forces![i] - many.Forces![i]).Length < 1e-10);
            Assert.True((one.Stress!.Value - many.Stress!.Value).MaxAbs() < 1e-12);
        }
    }
}
