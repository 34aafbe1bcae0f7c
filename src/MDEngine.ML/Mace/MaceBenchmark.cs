using MDEngine.ML.Graphs;
using System.Diagnostics;
using MDEngine.Geometry;
using MDEngine.ML.E3nn;
using MDEngine.ML.IO;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using TorchSharp;

namespace MDEngine.ML.Mace;

/// <summary>
/// Times energy + forces + stress of a MACE-MP-0-medium-shaped model (128x0e+128x1o, max_ell 3, r_max 6 Å,
/// 10 Bessel functions, 2 interactions, correlation 3) with random weights on rattled diamond Si supercells.
/// The neighbor list is built once per structure, outside the timing.
/// </summary>
public static class MaceBenchmark
{
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static MaceConfig MediumConfig => new()
    {
        ModelType = "ScaleShiftMACE", RMax = 6.0, NumBessel = 10, NumPolynomialCutoff = 5, MaxEll = 3, NumInteractions = 2,
        HiddenIrreps = "128x0e+128x1o", MlpIrreps = "16x0e", AtomicNumbers = [14], AtomicEnergies = [-4.0],
        AvgNumNeighbors = 60.0, Correlation = [3, 3], RadialMlp = [64, 64, 64], Scale = [1.0], Shift = [0.0],
    };

    /// <summary>Diamond Si (a = 5.43 Å) repeated n×n×n (8n³ atoms), every atom displaced by up to ±0.05 Å.</summary>
    public static Structure RattledSilicon(int n, int seed)
    {
        var rng = new Random(seed);
        Vec3[] basis = [new(0, 0, 0), new(0, 0.5, 0.5), new(0.5, 0, 0.5), new(0.5, 0.5, 0), new(0.25, 0.25, 0.25), new(0.25, 0.75, 0.75), new(0.75, 0.25, 0.75), new(0.75, 0.75, 0.25)];
        var positions = new List<Vec3>();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++)
                    foreach (var b in basis)
                        positions.Add((b + new Vec3(i, j, k)) * 5.43 + new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * 0.1);
        return new Structure(Enumerable.Repeat(14, positions.Count).ToArray(), positions, Cell.Cubic(5.43 * n), Pbc.All);
    }

    public static MacePotential CreatePotential(string constantsPath, MaceOptions options)
    {
        var constants = SafeTensors.Read(constantsPath);
        var config = MediumConfig;
        var weights = RandomMaceWeights.Create(config, constants, seed: 1);
        var device = options.Apply();
        return new MacePotential(new MaceModel(config, weights, new TensorOptions(options.DType, device), options.DenseContraction), "MACE medium-shaped (random)");
    }

    /// <summary>See <see cref="EvaluationTiming.Time"/>.</summary>
    public static (double Wall, double Cpu) Time(MacePotential potential, IReadOnlyList<Structure> structures, int repeats) =>
        EvaluationTiming.Time(potential, structures, repeats);

    public static void Run(string constantsPath, TextWriter output, int threads = 2, int[]? sizes = null, bool batch = true,
        torch.ScalarType[]? dtypes = null)
    {
        torch.set_num_threads(threads);
        output.WriteLine($"threads {threads}, {Environment.ProcessorCount} processors, load average {LoadAverage()}");
        foreach (var dtype in dtypes ?? [torch.ScalarType.Float32, torch.ScalarType.Float64])
        {
            var potential = CreatePotential(constantsPath, new MaceOptions { DType = dtype, Device = "cpu" });
            foreach (int n in sizes ?? [1, 2, 3, 4])
            {
                var s = RattledSilicon(n, n);
                var (wall, cpu) = Time(potential, [s], n >= 3 ? 2 : 5);
                output.WriteLine($"{dtype} {s.Count} atoms: {wall:F3} s/evaluation (best wall), {cpu:F3} s processor time, {s.Count / wall:F1} atoms/s");
            }
            if (batch)
            {
                var structures = Enumerable.Range(0, 64).Select(k => RattledSilicon(1, 100 + k)).ToArray();
                var (wall, cpu) = Time(potential, structures, 2);
                output.WriteLine($"{dtype} 64 x 8 atoms batched: {wall:F3} s/batch (best wall), {cpu:F3} s processor time, {512 / wall:F1} atoms/s");
            }
        }
    }
}
