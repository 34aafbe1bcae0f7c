using System.CommandLine;
using MDEngine.Cli;
using MDEngine.IO;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.Potentials;

public sealed class EvalCommandTests() : TempDirectoryTests("mdengine-eval-")
{
    [Fact]
    public void EvaluatesEveryFrameAndWritesResults()
    {
        var a = LammpsCase.Get("shipped_zhou_cu");
        var b = LammpsCase.Get("shipped_zhou_alloy_all");
        string input = Path.Combine(Dir, "in.extxyz"), output = Path.Combine(Dir, "out.extxyz");
        StructureFile.Write(input, [a.Structure, b.Structure]);
        var (code, text, err) = Run("eval", input, "--potential", "auto", "--output", output);
        Assert.True(code == 0, err);
        Assert.Contains("CuAgAuNiPdPtAl_Zhou04.eam.alloy", text);
        Assert.Contains("GPa", text);
        var frames = StructureFile.Read(output);
        Assert.Equal(2, frames.Count);
        foreach (var (frame, reference) in frames.Zip([a, b]))
        {
            // The alloy file spans the same Cu functions on a different grid, so compare the alloy frame exactly
            // and the Cu frame to the spline's accuracy.
            double tolerance = reference == b ? 1e-9 : 1e-3;
            Assert.Equal(reference.Energy, frame.Energy!.Value, tolerance * Math.Abs(reference.Energy));
            Assert.Equal(reference.Structure.Count, frame.Forces!.Length);
            if (reference == b)
            {
                for (int i = 0; i < frame.Count; i++) Assert.True((frame.Forces[i] - reference.Forces[i]).Length < 1e-8);
                Assert.True((frame.Stress!.Value - reference.Stress).MaxAbs() < 1e-9);
            }
        }
    }

    [Fact]
    public void BenchReportsRatesForEveryStageAndThreadCount()
    {
        var (code, text, err) = Run("bench", "--cells", "3", "--repeat", "2", "--threads", "1,2", "--lammps", "none");
        Assert.True(code == 0, err);
        Assert.Contains("lj (bench/in.lj): 108 atoms", text);
        Assert.Contains("eam Cu", text);
        // 2 cases × 3 stages (forces, refresh+forces, 100 NVE steps) × 2 thread counts.
        Assert.Equal(12, text.Split('\n').Count(l => l.Contains("M atom-steps/s") && l.Contains("MDEngine")));
        Assert.Contains("100 NVE steps", text);
        Assert.Contains("list builds", text);
        Assert.Equal(2, Run("bench", "--threads", "0", "--lammps", "none").Code);
        // Both cases on one schedule, named in the case line; a bad schedule is a usage error.
        (code, text, err) = Run("bench", "--cells", "3", "--repeat", "1", "--threads", "1", "--lammps", "none", "--case", "lj", "--neigh-modify", "every 4 check no");
        Assert.True(code == 0, err);
        Assert.Contains("neigh_modify every 4 delay 0 check no", text);
        Assert.Contains("per CPU-s", text);
        Assert.Equal(2, Run("bench", "--lammps", "none", "--neigh-modify", "every x").Code);
    }

    [Fact]
    public void BadPotentialIsOneLineError()
    {
        string input = Path.Combine(Dir, "in.extxyz");
        StructureFile.Write(input, [LammpsCase.Get("eam_fs_fe_rattled").Structure]);
        var (code, _, err) = Run("eval", input, "--potential", "lj:epsilon=1,sigma=2");
        Assert.Equal(2, code);
        Assert.StartsWith("error:", err);
        (code, _, err) = Run("eval", input, "--potential", "auto");
        Assert.Equal(2, code);
        Assert.Contains("Fe", err);
        Assert.False(File.Exists(Path.Combine(Dir, "out.extxyz")));
    }
}
