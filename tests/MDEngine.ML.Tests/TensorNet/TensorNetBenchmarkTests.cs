using MDEngine.ML.TensorNet;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using Xunit.Abstractions;

namespace MDEngine.ML.Tests.TensorNet;

/// <summary>
/// The benchmark structures are what they claim (rock salt, 8n³ atoms, the model's per-atom energy of NaCl); with
/// MDENGINE_TENSORNET_BENCHMARK=1 the timing table of docs/benchmarks.md is printed as well
/// (MDENGINE_TENSORNET_BENCHMARK_SIZES=2,4 the supercells n, MDENGINE_TENSORNET_BENCHMARK_THREADS=1,2 torch's thread
/// counts, MDENGINE_TENSORNET_BENCHMARK_DTYPES=float32,float64 the precisions).
/// </summary>
public class TensorNetBenchmarkTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void RockSaltSupercellIsBoundAndTimingTableOnRequest()
    {
        TensorNetFixture.RequireModel();
        var s = TensorNetBenchmark.RattledRockSalt(2, 0);
        Assert.Equal(64, s.Count);
        Assert.Equal(32, s.Numbers.Count(z => z == 11));
        var potential = TensorNetFixture.Float32;
        var result = potential.Compute(s, NeighborListBuilder.Build(s, potential.Cutoff, full: true), Quantities.All);
        // MatPES PBE NaCl: about −3.4 eV/atom; a wrong lattice or species would be far off.
        Assert.InRange(result.Energy / s.Count, -3.6, -3.2);
        if (Environment.GetEnvironmentVariable("MDENGINE_TENSORNET_BENCHMARK") != "1") return;
        int[] Ints(string name, string fallback) => (Environment.GetEnvironmentVariable(name) ?? fallback).Split(',').Select(int.Parse).ToArray();
        var dtypes = (Environment.GetEnvironmentVariable("MDENGINE_TENSORNET_BENCHMARK_DTYPES") ?? "float32,float64").Split(',')
            .Select(d => d.Trim() == "float64" ? TorchSharp.torch.ScalarType.Float64 : TorchSharp.torch.ScalarType.Float32).ToArray();
        var writer = new StringWriter();
        TensorNetBenchmark.Run(TensorNetFixture.Directory, writer, Ints("MDENGINE_TENSORNET_BENCHMARK_THREADS", "1,2"),
            Ints("MDENGINE_TENSORNET_BENCHMARK_SIZES", "2,4"), dtypes);
        output.WriteLine(writer.ToString());
    }
}
