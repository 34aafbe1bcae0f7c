using MDEngine.ML.E3nn;
using MDEngine.ML.Mace;
using MDEngine.Structures;
using TorchSharp;

namespace MDEngine.Benchmarks.Models;

/// <summary>
/// Times energy + forces + stress of a MACE-MP-0-medium-shaped model (128x0e+128x1o, max_ell 3, r_max 6 Å,
/// 10 Bessel functions, 2 interactions, correlation 3) with random weights on rattled diamond Si supercells of 8n³
/// atoms, and on a batch of 64 cells of 8 atoms (what a batched relaxation of small cells evaluates).
/// </summary>
public static class MaceTiming
{
    public static MaceConfig MediumConfig => new()
    {
        ModelType = "ScaleShiftMACE", RMax = 6.0, NumBessel = 10, NumPolynomialCutoff = 5, MaxEll = 3, NumInteractions = 2,
        HiddenIrreps = "128x0e+128x1o", MlpIrreps = "16x0e", AtomicNumbers = [14], AtomicEnergies = [-4.0],
        AvgNumNeighbors = 60.0, Correlation = [3, 3], RadialMlp = [64, 64, 64], Scale = [1.0], Shift = [0.0],
    };

    /// <summary>The medium-shaped model with random weights (seed 1) and computed constants.</summary>
    public static MacePotential CreatePotential(MaceOptions options)
    {
        var config = MediumConfig;
        var weights = RandomMaceWeights.Create(config, seed: 1);
        var device = options.Apply();
        return new MacePotential(new MaceModel(config, weights, new TensorOptions(options.DType, device), options.DenseContraction,
            radialSplinePoints: options.RadialSplinePoints), "MACE medium-shaped (random)");
    }

    /// <summary>
    /// Times every case (each size, then the batch) at every thread count. The thread counts take turns, one
    /// evaluation each per round, so that a slow spell of the shared machine hits all of them alike; each reports its
    /// best wall time and mean processor time, and the speed-up over the first thread count in the same rounds.
    /// </summary>
    /// <param name="repeats">Rounds per case; 0: 5 below 216 atoms, 3 from there.</param>
    /// <param name="stages">Also the time per stage and the roofline, after the timing.</param>
    /// <param name="radialSplinePoints">Time the model with its radial networks as splines of this many intervals
    /// (<see cref="MaceOptions.RadialSplinePoints"/>); null: the exact networks.</param>
    public static void Run(TextWriter output, int[] threads, int[] sizes, bool batch, torch.ScalarType[] dtypes, int repeats = 0, bool stages = false,
        int? radialSplinePoints = null)
    {
        output.WriteLine($"{Environment.ProcessorCount} processors, load average {MachineLoad.Average()}");
        string model = radialSplinePoints is int points ? $" (radial splines, {points} intervals)" : "";
        var peak = stages ? MachinePeak.Measure() : null;
        if (peak is not null) output.WriteLine($"peak per core: {peak}");
        var cases = sizes.Select(n => (Label: $"{8 * n * n * n} atoms", Structures: new[] { TestSystems.RattledSilicon(n, n) }, Rounds: n >= 3 ? 3 : 5)).ToList();
        if (batch) cases.Add(("64 x 8 atoms batched", Enumerable.Range(0, 64).Select(k => TestSystems.RattledSilicon(1, 100 + k)).ToArray(), 3));
        foreach (var dtype in dtypes)
        {
            var potential = CreatePotential(new MaceOptions { DType = dtype, Device = "cpu", RadialSplinePoints = radialSplinePoints });
            // The runtime compiles hot methods again, optimised, in the background after their first calls; on two
            // cores that compiler thread would share the cores with the timed calls of the first cases.
            EvaluationTiming.WarmUp(potential, [TestSystems.RattledSilicon(1, 0)], threads, seconds: 3);
            foreach (var (label, structures, rounds) in cases)
            {
                var times = EvaluationTiming.Alternate(potential, structures, threads, repeats > 0 ? repeats : rounds);
                int atoms = structures.Sum(x => x.Count);
                for (int k = 0; k < threads.Length; k++)
                {
                    var (wall, cpu) = times[k];
                    string speedUp = k == 0 ? "" : $", {times[0].Wall / wall:F2}x over {threads[0]} thread{(threads[0] == 1 ? "" : "s")}";
                    output.WriteLine($"{dtype} threads {threads[k]} {label}{model}: {wall:F3} s/evaluation (best wall), {cpu:F3} s processor time, {atoms / wall:F1} atoms/s{speedUp}");
                    if (!stages) continue;
                    torch.set_num_threads(threads[k]);
                    WriteStages(output, potential, structures, EvaluationTiming.Stages(potential, structures, repeats > 0 ? repeats : rounds), peak, threads[k]);
                }
            }
        }
    }

    /// <summary>Milliseconds per evaluation by stage (the evaluating thread's wall time, the process's processor time),
    /// and for the stages with a cost model their multiply-adds, GFLOP/s and fraction of the threads' peak.</summary>
    private static void WriteStages(TextWriter output, MacePotential potential, Structure[] structures,
        IReadOnlyList<(string Stage, double Wall, double Cpu)> stages, MachinePeak? peak, int threads)
    {
        var graph = potential.BuildGraph(structures, EvaluationTiming.NeighborLists(potential, structures));
        var costs = MaceRoofline.MultiplyAdds(potential.Model, graph.NodeCount, graph.EdgeCount, graph.EdgeCount / 2);
        bool single = potential.DType == torch.ScalarType.Float32;
        double peakGFlops = (single ? peak?.Float32GFlops : peak?.Float64GFlops) * threads ?? double.NaN;
        foreach (var (stage, wall, cpu) in stages)
        {
            bool reverse = stage.StartsWith("reverse: ", StringComparison.Ordinal);
            var cost = costs.FirstOrDefault(c => c.Stage == (reverse ? stage["reverse: ".Length..] : stage));
            string roofline = "";
            if (cost is not null)
            {
                double macs = reverse ? cost.Reverse : cost.Forward, gflops = 2 * macs / wall / 1e9;
                roofline = $" {macs / graph.NodeCount / 1e6,7:F2} M MAC/atom {gflops,6:F1} GFLOP/s {gflops / peakGFlops,6:P0} of peak";
            }
            output.WriteLine($"    {stage,-36} {wall * 1e3,8:F2} ms wall {cpu * 1e3,8:F2} ms processor{roofline}");
        }
        output.WriteLine($"    {"total",-36} {stages.Sum(s => s.Wall) * 1e3,8:F2} ms wall {stages.Sum(s => s.Cpu) * 1e3,8:F2} ms processor");
    }
}
