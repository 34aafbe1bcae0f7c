using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Neighbors;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Tests.Dynamics;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.IO;

/// <summary>Every command that evaluates a potential refuses overlapping atoms before computing, and a non-finite
/// energy, force or stress never reaches a file.</summary>
public sealed class OverlappingAtomsTests() : TempDirectoryTests("mdengine-overlap-")
{
    private const string Lj = "lj:epsilon=0.0104,sigma=3.40,cutoff=6";

    private string Dimer(double distance, string name = "dimer.extxyz")
    {
        string path = Path.Combine(Dir, name);
        StructureFile.Write(path, new Structure([18, 18], [new Vec3(5, 5, 5), new Vec3(5, 5, 5 + distance)], new Cell(Mat3.Diagonal(12, 12, 12)), Pbc.All));
        return path;
    }

    [Fact]
    public void The_floor_is_half_the_sum_of_covalent_radii_and_an_explicit_distance_replaces_it()
    {
        var s = new Structure([1, 1], [Vec3.Zero, new Vec3(0, 0, 0.3)]);
        var pair = CloseContacts.Find(s);
        Assert.NotNull(pair);
        Assert.Equal(0.31, pair.Value.Floor, 1e-12); // 0.5 × (0.31 + 0.31) Å
        Assert.Null(CloseContacts.Find(s, minDistance: 0.2));
        Assert.Null(CloseContacts.Find(new Structure([1, 1], [Vec3.Zero, new Vec3(0, 0, 0.74)])));
    }

    [Fact]
    public void An_atom_too_close_to_its_own_periodic_image_is_refused()
    {
        var s = new Structure([29], [Vec3.Zero], new Cell(Mat3.Diagonal(1, 10, 10)), Pbc.All);
        var e = Assert.Throws<InputException>(() => CloseContacts.Require(s, "tiny.cif"));
        Assert.Contains("atom 0 and its periodic image are 1.000 Å apart", e.Message);
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("relax")]
    [InlineData("md")]
    public void Coincident_atoms_are_refused_before_computing_and_nothing_is_written(string command)
    {
        string input = Dimer(0);
        string output = Path.Combine(Dir, "out.extxyz");
        string[] args = command switch
        {
            "eval" => ["eval", input, "--potential", Lj, "--output", output],
            "relax" => ["relax", input, "--potential", Lj, "--output", output],
            _ => ["md", input, "--potential", Lj, "--temperature", "10", "--steps", "5", "--trajectory", output],
        };
        var (code, _, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains($"{input}: atoms 0 and 1 (Ar, Ar) are 0.000 Å apart, closer than 1.060 Å, half the sum of their covalent radii", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Eval_stops_with_exit_3_and_writes_nothing_when_the_potential_gives_infinity()
    {
        // Allowed through by a tiny --min-distance, 1e-100 Å apart: LJ's r^-12 overflows.
        string input = Dimer(1e-100);
        string output = Path.Combine(Dir, "out.extxyz");
        var (code, stdout, error) = Run("eval", input, "--potential", Lj, "--min-distance", "1e-200", "--output", output);
        Assert.Equal(3, code);
        Assert.Contains("non-finite", error);
        Assert.Contains("nothing was written", error);
        Assert.DoesNotContain("NaN", stdout);
        Assert.DoesNotContain("∞", stdout);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Relax_stops_with_exit_3_on_a_non_finite_result_and_writes_the_last_finite_state()
    {
        string input = Dimer(1e-100);
        string output = Path.Combine(Dir, "out.extxyz");
        var (code, stdout, _) = Run("relax", input, "--potential", Lj, "--min-distance", "1e-200", "--output", output);
        Assert.Equal(3, code);
        Assert.Contains("STOPPED: the potential energy is not finite at step 0", stdout);
        Assert.DoesNotContain("NaN", stdout);
        var written = StructureFile.ReadFrame(output);
        Assert.Null(FiniteValues.FindProblem(written));
        Assert.False((bool)written.Info["relax_converged"]);
    }

    /// <summary>Gives a NaN energy from evaluation <c>good + 1</c> on.</summary>
    private sealed class FailingAfter(Potential inner, int good) : Potential
    {
        private int _count;
        public override string Name => "failing";
        public override double Cutoff => inner.Cutoff;
        public override void Compute(PotentialBatch batch)
        {
            inner.Compute(batch);
            if (++_count > good) batch.Store(0, double.NaN, batch.Stress(0));
        }
    }

    [Theory]
    [InlineData("fire")]
    [InlineData("bfgs")]
    [InlineData("lbfgs")]
    public void A_relaxation_fed_a_non_finite_energy_stops_unconverged_keeping_its_last_finite_state(string optimizer)
    {
        var s = ArgonCrystal.Build(2);
        s.Positions[0] += new Vec3(0.5, 0.2, 0);
        Optimizer o = optimizer switch { "fire" => new Fire(), "bfgs" => new Bfgs(), _ => new Lbfgs() };
        var relaxation = new Relaxation(new AtomsOptimizable(s), o, new BoundPotential(new FailingAfter(ArgonCrystal.Potential(6), 2)));
        Vec3[]? lastObserved = null;
        relaxation.Observe(new RelaxObserver((_, target, _) => lastObserved = target.Structure.Positions.ToArray()));
        var result = relaxation.Run();
        Assert.False(result.Converged);
        Assert.Equal("the potential energy is not finite at step 2", result.Problem);
        Assert.Null(FiniteValues.FindProblem(result.Best));
        Assert.Null(FiniteValues.FindProblem(result.LastFinite));
        Assert.Equal(lastObserved, result.LastFinite.Positions);
        Assert.True(double.IsFinite(result.BestObjective));
    }
}
