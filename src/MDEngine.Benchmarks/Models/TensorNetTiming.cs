using MDEngine.ML.Graphs;
using MDEngine.ML.TensorNet;
using TorchSharp;

namespace MDEngine.Benchmarks.Models;

/// <summary>Times energy + forces + stress of a TensorNet model (a matgl model folder) on rattled rock-salt NaCl
/// supercells of 8n³ atoms, per precision and torch thread count.</summary>
public static class TensorNetTiming
{
    public static void Run(string modelDirectory, TextWriter output, int[] threads, int[] sizes, torch.ScalarType[] dtypes, int repeats = 3)
    {
        output.WriteLine($"{Environment.ProcessorCount} processors, load average {MachineLoad.Average()}");
        foreach (var dtype in dtypes)
        {
            var potential = TensorNetPotential.Load(modelDirectory, new TorchSettings { DType = dtype, Device = "cpu" });
            foreach (int t in threads)
            {
                torch.set_num_threads(t);
                foreach (int n in sizes)
                {
                    var s = TestSystems.RattledRockSalt(n, n);
                    var (wall, cpu) = EvaluationTiming.Time(potential, [s], repeats);
                    output.WriteLine($"{dtype} threads {t} {s.Count} atoms: {wall:F3} s/evaluation (best wall), {cpu:F3} s processor time, {s.Count / wall:F1} atoms/s");
                }
            }
        }
    }
}
