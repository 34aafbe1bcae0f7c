using System.Diagnostics;
using System.Globalization;
using MDEngine.Geometry;
using MDEngine.ML.Graphs;
using MDEngine.ML.TorchScript;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using Xunit.Abstractions;
using static MDEngine.ML.Tests.TorchScript.TorchScriptData;
using static TorchSharp.torch;

namespace MDEngine.ML.Tests.TorchScript;

/// <summary>
/// With MDENGINE_TORCHSCRIPT_BENCHMARK=1 (and ../shared/realmodels present), times MDEngine on the public SevenNet and
/// MACE TorchScript files, one torch thread, and in the same run Python torch on the same files and input tensors
/// (tools/benchmarks/torchscript_python.py with /usr/bin/python3), printing the table of docs/benchmarks.md.
/// MDEngine is timed twice: the model called with the reference inputs (what the Python script times), and the
/// whole potential call (graph from a prebuilt neighbor list, model, results to the host).
/// </summary>
public class TorchScriptBenchmarkTests(ITestOutputHelper output)
{
    private const int Repeats = 20;

    private static (double Median, double Min) Time(Action call)
    {
        call();
        var times = new double[Repeats];
        for (int k = 0; k < Repeats; k++)
        {
            var watch = Stopwatch.StartNew();
            using (NewDisposeScope()) call();
            times[k] = watch.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return (times[Repeats / 2], times[0]);
    }

    [SkippableFact]
    public void TimesMDEngineAndPythonTorchOnTheSameFiles()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("MDENGINE_TORCHSCRIPT_BENCHMARK") == "1", "set MDENGINE_TORCHSCRIPT_BENCHMARK=1 to time the TorchScript models");
        string sevenNetFile = RealModels.Require(SevenNetFile);
        string maceFile = RealModels.Require(MaceFile);
        var settings = new TorchSettings { Device = "cpu", Threads = 1 };
        var sn = Npz.Read(RealModels.Require(SevenNetReference));
        var mc = Npz.Read(RealModels.Require(MaceReference));
        using var sevenNet = TorchScriptLoader.Open(sevenNetFile, settings: settings);
        using var mace = TorchScriptLoader.Open(maceFile, settings: settings);
        var sevenNetPotential = new GraphPotential(sevenNet);
        var macePotential = new GraphPotential(mace);

        long e = sn["in_edge_index"].Shape[1];
        void SevenNetDirect()
        {
            using var gradients = enable_grad();
            sevenNet.Call(tensor(sn["in_x"].Longs), tensor(sn["in_pos"].Floats, [96, 3]).requires_grad_(true), tensor(sn["in_edge_index"].Longs, [2, e]),
                tensor(sn["in_num_atoms"].Longs), tensor(sn["in_cell_lattice_vectors"].Floats, [3, 3]), tensor(sn["in_cell_volume"].Floats[0]),
                tensor(sn["in_pbc_shift"].Floats, [e, 3]));
        }
        long n = mc["in_positions"].Shape[0], m = mc["in_edge_index"].Shape[1];
        void MaceDirect()
        {
            using var gradients = enable_grad();
            mace.Call(tensor(mc["in_positions"].Data, [n, 3]), tensor(mc["in_node_attrs"].Data, [n, 3]), tensor(mc["in_edge_index"].Longs, [2, m]),
                tensor(mc["in_shifts"].Data, [m, 3]), tensor(mc["in_unit_shifts"].Data, [m, 3]), tensor(mc["in_cell"].Data, [3, 3]),
                tensor(mc["in_batch"].Longs), tensor(mc["in_ptr"].Longs), zeros([1], ScalarType.Int64), true, false);
        }
        var hfo2 = Structure.FromSymbols(sn["symbols"].Strings!, Structure.ToVec3(sn["in_pos"].Data), new Cell(Mat3.FromArray(sn["in_cell_lattice_vectors"].Data)), Pbc.All);
        var hfo2List = NeighborListBuilder.Build(hfo2, sevenNetPotential.Cutoff, full: true);
        var molecule = new Structure(mc["atomic_numbers"].Longs.Select(z => (int)z).ToArray(), Structure.ToVec3(mc["in_positions"].Data));
        var moleculeList = NeighborListBuilder.Build(molecule, macePotential.Cutoff, full: true);

        var csharp = new Dictionary<string, (double, double)>();
        void MeasureMDEngine(string pass)
        {
            csharp[$"sevennet direct {pass}"] = Time(SevenNetDirect);
            csharp[$"sevennet potential {pass}"] = Time(() => sevenNetPotential.Compute(hfo2, hfo2List, Quantities.All));
            csharp[$"mace direct {pass}"] = Time(MaceDirect);
            csharp[$"mace potential {pass}"] = Time(() => macePotential.Compute(molecule, moleculeList, Quantities.EnergyAndForces));
        }
        MeasureMDEngine("before");
        var python = RunPython();
        MeasureMDEngine("after");

        output.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}; 1 torch thread; median (min) of {Repeats} calls, seconds");
        output.WriteLine("| model | Python torch 1.13, model call | MDEngine, model call (before / after Python) | MDEngine, potential call (before / after) | Python / MDEngine, model call: medians, minima | Python / MDEngine potential call, minima |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var name in new[] { "sevennet", "mace" })
        {
            var (pm, pmin) = python[name];
            var (d1, d1min) = csharp[$"{name} direct before"]; var (d2, d2min) = csharp[$"{name} direct after"];
            var (p1, p1min) = csharp[$"{name} potential before"]; var (p2, p2min) = csharp[$"{name} potential after"];
            output.WriteLine(FormattableString.Invariant(
                $"| {name} | {pm:F4} ({pmin:F4}) | {d1:F4} ({d1min:F4}) / {d2:F4} ({d2min:F4}) | {p1:F4} ({p1min:F4}) / {p2:F4} ({p2min:F4}) | {pm / d1:F2}× / {pm / d2:F2}×; {pmin / d1min:F2}× / {pmin / d2min:F2}× | {pmin / p1min:F2}× / {pmin / p2min:F2}× |"));
        }
        Assert.All(csharp.Values, t => Assert.True(t.Item1 > 0));
    }

    private static Dictionary<string, (double, double)> RunPython()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MDEngine.sln"))) dir = dir.Parent;
        var start = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(dir!.FullName, "tools", "benchmarks", "torchscript_python.py"), Repeats.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("torchscript_python.py failed: " + process.StandardError.ReadToEnd());
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .ToDictionary(f => f[0], f => (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture)));
    }
}
