using MDEngine.Geometry;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Tests.Dynamics;
using MDEngine.Workflows;

namespace MDEngine.Tests.Workflows;

/// <summary>The eval and relax workflows as library calls: what a C# user gets without the command line.</summary>
public class RunnerTests
{
    private static readonly string Dir = Directory.CreateTempSubdirectory("mdengine-runners").FullName;

    private static Structure Rattled(int repeat, int seed)
    {
        var s = ArgonCrystal.Build(repeat);
        var rng = new Random(seed);
        s.SetPositions(s.Positions.Select(r => r + 0.1 * new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray());
        return s;
    }

    [Fact]
    public void Eval_in_batches_equals_each_structure_alone_and_stores_the_results()
    {
        var potential = ArgonCrystal.Potential(6);
        var inputs = Enumerable.Range(0, 5).Select(k => new LabeledStructure($"s{k}", Rattled(2 + k % 2, k))).ToList();
        string output = Path.Combine(Dir, "eval.extxyz");
        var report = EvalRunner.Run(potential, inputs, new EvalSettings { MaxBatchAtoms = 100, OutputPath = output });
        Assert.Null(report.Problem);
        Assert.Equal(inputs.Count, report.Structures.Count);
        foreach (var e in report.Structures)
        {
            var alone = PotentialConformance.Evaluate(potential, e.Structure, Quantities.All);
            Assert.Equal(alone.Energy, e.Result.Energy, 1e-12 * Math.Abs(alone.Energy));
            Assert.Equal(e.Result.Energy, e.Structure.Energy);
            Assert.NotNull(e.Structure.Stress);
        }
        Assert.Equal(inputs.Count, MDEngine.IO.StructureFile.Read(output).Count);
    }

    [Fact]
    public void Relax_reports_each_structure_with_its_space_groups_and_stamps_what_it_writes()
    {
        var inputs = new List<LabeledStructure> { new("argon", Rattled(2, 1)) };
        string output = Path.Combine(Dir, "relaxed.extxyz");
        var report = RelaxRunner.Run(ArgonCrystal.Potential(6), inputs, new RelaxSettings { Optimizer = "fire", Fmax = 0.01, OutputPath = output });
        var relaxed = Assert.Single(report.Structures);
        Assert.True(relaxed.Converged);
        Assert.Equal(0, report.Failures);
        Assert.NotNull(relaxed.InitialEnergy);
        Assert.True(relaxed.Kept.Energy < relaxed.InitialEnergy);
        Assert.Equal(true, relaxed.Kept.Info["relax_converged"]);
        Assert.Equal((long)relaxed.Result.Steps, relaxed.Kept.Info["relax_steps"]);
        // Found once before (the rattled input has no symmetry left) and once after.
        Assert.Equal("P1 (1)", relaxed.SpaceGroupBefore);
        Assert.NotNull(relaxed.SpaceGroupAfter);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Settings_that_do_not_fit_the_inputs_are_refused_before_anything_is_written()
    {
        var inputs = new List<LabeledStructure> { new("argon", Rattled(2, 1)) };
        string output = Path.Combine(Dir, "never.extxyz");
        var e = Assert.Throws<SettingsException>(() =>
            RelaxRunner.Run(ArgonCrystal.Potential(6), inputs, new RelaxSettings { FixedAtoms = [99], OutputPath = output }));
        Assert.Contains("fixed atom 99 does not exist in argon", e.Message);
        Assert.Throws<SettingsException>(() => RelaxRunner.Run(ArgonCrystal.Potential(6), inputs, new RelaxSettings { Hydrostatic = true, OutputPath = output }));
        Assert.Throws<SettingsException>(() => RelaxRunner.Run(ArgonCrystal.Potential(6), inputs, new RelaxSettings { Optimizer = "simplex", OutputPath = output }));
        Assert.False(File.Exists(output));
    }
}
