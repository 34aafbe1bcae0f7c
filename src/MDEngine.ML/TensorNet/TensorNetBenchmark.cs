using System.Diagnostics;
using MDEngine.Geometry;
using MDEngine.ML.Graphs;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using TorchSharp;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// Times energy + forces + stress of a TensorNet model on rattled rock-salt NaCl supercells (64 and 512 atoms), in
/// float32 and float64, with the given torch thread counts. The neighbor list is built once per structure, outside the
/// timing.
/// </summary>
public static class TensorNetBenchmark
{
    /// <summary>Rock-salt NaCl (a = 5.64 Å) repeated n×n×n (8n³ atoms), every atom displaced by up to ±0.05 Å.</summary>
    public static Structure RattledRockSalt(int n, int seed)
    {
        var rng = new Random(seed);
        Vec3[] sodium = [new(0, 0, 0), new(0, 0.5, 0.5), new(0.5, 0, 0.5), new(0.5, 0.5, 0)];
        var positions = new List<Vec3>();
        var numbers = new List<int>();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++)
                    foreach (var b in sodium)
                        foreach (var (offset, z) in new[] { (Vec3.Zero, 11), (new Vec3(0.5, 0, 0), 17) })
                        {
                            var jitter = new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * 0.1;
                            positions.Add((b + offset + new Vec3(i, j, k)) * 5.64 + jitter);
                            numbers.Add(z);
                        }
        return new Structure(numbers, positions, Cell.Cubic(5.64 * n), Pbc.All);
    }

    /// <summary>See <see cref="EvaluationTiming.Time"/>.</summary>
    public static (double Wall, double Cpu) Time(Potential potential, Structure structure, int repeats) =>
        EvaluationTiming.Time(potential, [structure], repeats);

    public static void Run(string modelDirectory, TextWriter output, int[] threads, int[] sizes, torch.ScalarType[] dtypes, int repeats = 3)
    {
        string load = File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        output.WriteLine($"{Environment.ProcessorCount} processors, load average {load}");
        foreach (var dtype in dtypes)
        {
            var potential = TensorNetPotential.Load(modelDirectory, new TorchSettings { DType = dtype, Device = "cpu" });
            foreach (int t in threads)
            {
                torch.set_num_threads(t);
                foreach (int n in sizes)
                {
                    var s = RattledRockSalt(n, n);
                    var (wall, cpu) = Time(potential, s, repeats);
                    output.WriteLine($"{dtype} threads {t} {s.Count} atoms: {wall:F3} s/evaluation (best wall), {cpu:F3} s processor time, {s.Count / wall:F1} atoms/s");
                }
            }
        }
    }
}
