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
/// The public deployed models in ../shared/realmodels against Python torch's outputs on the same files (the
/// torchscript_reference folders: inputs in_*, outputs out_*, see their README). Each model is checked twice: through
/// MDEngine's normal path (its own neighbor list and graph from the structure, results in ASE's conventions), and fed
/// the reference's own input tensors directly, which separates a graph difference from a model difference. Skipped,
/// naming the missing file, where ../shared/realmodels is absent. The files are opened through the TorchScript
/// format itself.
/// </summary>
public class RealModelReferenceTests(ITestOutputHelper output)
{


    private static double MaxAbs(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    private static double[] Host(Tensor t) => t.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();

    private static Structure SevenNetStructure(Npz npz)
    {
        var cell = Mat3.FromArray(npz.Doubles("in_cell_lattice_vectors"));
        return Structure.FromSymbols(npz.Strings("symbols"), Structure.ToVec3(npz.Doubles("in_pos")), new Cell(cell), Pbc.All);
    }

    [SkippableFact]
    public void SevenNetThroughThePotentialMatchesPythonTorch()
    {
        string model = RealModels.Require(SevenNetFile), reference = RealModels.Require(SevenNetReference);
        var npz = new Npz(reference);
        var potential = (GraphPotential)TorchScriptSpec.TryParse(model + ",device=cpu")!;
        Assert.Equal(TorchScriptKind.SevenNet, ((TorchScriptModel)potential.Model).Kind);
        Assert.Equal(ScalarType.Float32, potential.DType);
        var s = SevenNetStructure(npz);
        var list = NeighborListBuilder.Build(s, potential.Cutoff, full: true);
        Assert.Equal(npz.Shape("in_edge_index")[1], potential.BuildGraph([s], [list]).EdgeCount);
        var result = potential.Compute(s, list, Quantities.All | Quantities.AtomEnergies);

        double energy = npz.Doubles("out_inferred_total_energy")[0];
        double forceError = MaxAbs(result.Forces!.SelectMany(f => new[] { f.X, f.Y, f.Z }).ToArray(), npz.Doubles("out_inferred_force"));
        double atomError = MaxAbs(result.AtomEnergies!, npz.Doubles("out_atomic_energy"));
        // SevenNet's stress is −(1/V) ∂E/∂ε in the order xx yy zz xy yz zx; ASE's is +(1/V) ∂E/∂ε.
        var v = npz.Doubles("out_inferred_stress");
        var expectedStress = -1.0 * new Mat3(v[0], v[3], v[5], v[3], v[1], v[4], v[5], v[4], v[2]);
        double stressError = (result.Stress!.Value - expectedStress).MaxAbs();
        output.WriteLine($"SevenNet (float32), MDEngine graph: E {result.Energy:R} vs {energy:R} (ΔE {result.Energy - energy:E2}), " +
            $"max|ΔF| {forceError:E2}, max|ΔE_i| {atomError:E2}, max|Δσ| {stressError:E2} eV/Å³ (|σ| up to {expectedStress.MaxAbs():E2})");
        // float32 round-off: E ≈ −2775 eV has a spacing of 2.4e-4 eV; the graph's edges come in another order, so sums
        // are accumulated differently.
        Assert.True(Math.Abs(result.Energy - energy) <= 2e-3, $"energy {result.Energy:R} vs {energy:R}");
        Assert.True(forceError <= 1e-5, $"force error {forceError:E2}");
        Assert.True(atomError <= 1e-5, $"atom energy error {atomError:E2}");
        Assert.True(stressError <= 1e-6, $"stress error {stressError:E2}");
    }

    [SkippableFact]
    public void SevenNetFedTheReferenceInputsMatchesPythonTorch()
    {
        string model = RealModels.Require(SevenNetFile), reference = RealModels.Require(SevenNetReference);
        var npz = new Npz(reference);
        using var sevenNet = TorchScriptLoader.Open(model, settings: new TorchSettings { Device = "cpu" });
        using var scope = NewDisposeScope();
        using var gradients = enable_grad();
        var pos = tensor(npz.Floats("in_pos"), [96, 3]).requires_grad_(true);
        var cell = tensor(npz.Floats("in_cell_lattice_vectors"), [3, 3]);
        var edges = npz.Shape("in_edge_index")[1];
        var result = sevenNet.Call(tensor(npz.Longs("in_x")), pos, tensor(npz.Longs("in_edge_index"), [2, edges]),
            tensor(npz.Longs("in_num_atoms")), cell, tensor(npz.Floats("in_cell_volume")[0]), tensor(npz.Floats("in_pbc_shift"), [edges, 3]));
        double atomError = MaxAbs(Host(result[0]), npz.Doubles("out_atomic_energy"));
        double forceError = MaxAbs(Host(result[1]), npz.Doubles("out_inferred_force"));
        double stressError = MaxAbs(Host(result[2]), npz.Doubles("out_inferred_stress"));
        double energyError = Math.Abs(Host(result[0]).Sum() - npz.Doubles("out_inferred_total_energy")[0]);
        output.WriteLine($"SevenNet, reference inputs: |ΔΣE_i| {energyError:E2}, max|ΔF| {forceError:E2}, max|ΔE_i| {atomError:E2}, max|Δstress| {stressError:E2}");
        Assert.True(energyError <= 2e-3, $"energy error {energyError:E2}");
        Assert.True(forceError <= 1e-5, $"force error {forceError:E2}");
        Assert.True(atomError <= 1e-5, $"atom energy error {atomError:E2}");
        Assert.True(stressError <= 1e-7, $"stress error {stressError:E2}");
    }

    [SkippableFact]
    public void MaceThroughThePotentialMatchesPythonTorch()
    {
        string model = RealModels.Require(MaceFile), reference = RealModels.Require(MaceReference);
        var npz = new Npz(reference);
        var potential = (GraphPotential)TorchScriptSpec.TryParse(model + ",device=cpu")!;
        Assert.Equal(TorchScriptKind.Mace, ((TorchScriptModel)potential.Model).Kind);
        Assert.Equal(ScalarType.Float64, potential.DType);
        var s = new Structure(npz.Longs("atomic_numbers").Select(z => (int)z).ToArray(), Structure.ToVec3(npz.Doubles("in_positions")));
        var list = NeighborListBuilder.Build(s, potential.Cutoff, full: true);
        Assert.Equal(npz.Shape("in_edge_index")[1], potential.BuildGraph([s], [list]).EdgeCount);
        var result = potential.Compute(s, list, Quantities.All | Quantities.AtomEnergies);
        double energy = npz.Doubles("out_energy")[0];
        double forceError = MaxAbs(result.Forces!.SelectMany(f => new[] { f.X, f.Y, f.Z }).ToArray(), npz.Doubles("out_forces"));
        double atomError = MaxAbs(result.AtomEnergies!, npz.Doubles("out_node_energy"));
        output.WriteLine($"MACE (float64), MDEngine graph: E {result.Energy:R} vs {energy:R} (ΔE {result.Energy - energy:E2}), max|ΔF| {forceError:E2}, max|ΔE_i| {atomError:E2}");
        Assert.True(Math.Abs(result.Energy - energy) <= 1e-10 * Math.Abs(energy), $"energy {result.Energy:R} vs {energy:R}");
        Assert.True(forceError <= 1e-10, $"force error {forceError:E2}");
        Assert.True(atomError <= 1e-10, $"atom energy error {atomError:E2}");
        Assert.Null(result.Stress);
    }

    [SkippableFact]
    public void MaceFedTheReferenceInputsMatchesPythonTorch()
    {
        string model = RealModels.Require(MaceFile), reference = RealModels.Require(MaceReference);
        var npz = new Npz(reference);
        using var mace = TorchScriptLoader.Open(model, settings: new TorchSettings { Device = "cpu" });
        using var scope = NewDisposeScope();
        using var gradients = enable_grad();
        long n = npz.Shape("in_positions")[0], e = npz.Shape("in_edge_index")[1];
        var result = mace.Call(tensor(npz.Doubles("in_positions"), [n, 3]), tensor(npz.Doubles("in_node_attrs"), [n, 3]),
            tensor(npz.Longs("in_edge_index"), [2, e]), tensor(npz.Doubles("in_shifts"), [e, 3]), tensor(npz.Doubles("in_unit_shifts"), [e, 3]),
            tensor(npz.Doubles("in_cell"), [3, 3]), tensor(npz.Longs("in_batch")), tensor(npz.Longs("in_ptr")), zeros([1], ScalarType.Int64), true, false);
        double atomError = MaxAbs(Host(result[0]), npz.Doubles("out_node_energy"));
        double forceError = MaxAbs(Host(result[1]), npz.Doubles("out_forces"));
        output.WriteLine($"MACE, reference inputs: max|ΔF| {forceError:E2}, max|ΔE_i| {atomError:E2}");
        Assert.True(forceError <= 1e-12, $"force error {forceError:E2}");
        Assert.True(atomError <= 1e-12, $"atom energy error {atomError:E2}");
    }
}
