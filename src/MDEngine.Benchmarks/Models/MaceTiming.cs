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
        return new MacePotential(new MaceModel(config, weights, new TensorOptions(options.DType, device), options.DenseContraction), "MACE medium-shaped (random)");
    }

    public static void Run(TextWriter output, int[] threads, int[] sizes, bool batch, torch.ScalarType[] dtypes, int repeats = 0, bool stages = false)
    {
        output.WriteLine($"{Environment.ProcessorCount} processors, load average {MachineLoad.Average()}");
        foreach (var dtype in dtypes)
        {
            var potential = CreatePotential(new MaceOptions { DType = dtype, Device = "cpu" });
            foreach (int t in threads)
            {
                torch.set_num_threads(t);
                foreach (int n in sizes)
                {
                    var s = TestSystems.RattledSilicon(n, n);
                    var (wall, cpu) = EvaluationTiming.Time(potential, [s], repeats > 0 ? repeats : n >= 3 ? 2 : 5);
                    output.WriteLine($"{dtype} threads {t} {s.Count} atoms: {wall:F3} s/evaluation (best wall), {cpu:F3} s processor time, {s.Count / wall:F1} atoms/s");
                    if (stages) WriteStages(output, EvaluationTiming.Stages(potential, [s], repeats > 0 ? repeats : n >= 3 ? 2 : 5));
                }
                if (!batch) continue;
                var structures = Enumerable.Range(0, 64).Select(k => TestSystems.RattledSilicon(1, 100 + k)).ToArray();
                var (bw, bc) = EvaluationTiming.Time(potential, structures, repeats > 0 ? repeats : 2);
                output.WriteLine($"{dtype} threads {t} 64 x 8 atoms batched: {bw:F3} s/batch (best wall), {bc:F3} s processor time, {512 / bw:F1} atoms/s");
                if (stages) WriteStages(output, EvaluationTiming.Stages(potential, structures, repeats > 0 ? repeats : 2));
            }
        }
    }

    /// <summary>Milliseconds per evaluation by stage: the evaluating thread's wall time and the process's processor time.</summary>
    private static void WriteStages(TextWriter output, IReadOnlyList<(string Stage, double Wall, double Cpu)> stages)
    {
        foreach (var (stage, wall, cpu) in stages)
            output.WriteLine($"    {stage,-36} {wall * 1e3,8:F2} ms wall {cpu * 1e3,8:F2} ms processor");
        output.WriteLine($"    {"total",-36} {stages.Sum(s => s.Wall) * 1e3,8:F2} ms wall {stages.Sum(s => s.Cpu) * 1e3,8:F2} ms processor");
    }
}
