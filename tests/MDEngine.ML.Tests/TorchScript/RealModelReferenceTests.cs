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

    private static Structure SevenNetStructure(Dictionary<string, NpyArray> npz)
    {
        var cell = Mat3.FromArray(npz["in_cell_lattice_vectors"].Data);
        return Structure.FromSymbols(npz["symbols"].Strings!, Structure.ToVec3(npz["in_pos"].Data), new Cell(cell), Pbc.All);
    }

    [SkippableFact]
    public void SevenNetThroughThePotentialMatchesPythonTorch()
    {
        string model = RealModels.Require(SevenNetFile), reference = RealModels.Require(SevenNetReference);
        var npz = Npz.Read(reference);
        var potential = (GraphPotential)TorchScriptSpec.TryParse(model + ",device=cpu")!;
        Assert.Equal(TorchScriptKind.SevenNet, ((TorchScriptModel)potential.Model).Kind);
        Assert.Equal(ScalarType.Float32, potential.DType);
        var s = SevenNetStructure(npz);
        var list = NeighborListBuilder.Build(s, potential.Cutoff, full: true);
        Assert.Equal(npz["in_edge_index"].Shape[1], potential.BuildGraph([s], [list]).EdgeCount);
        var result = potential.Compute(s, list, Quantities.All | Quantities.AtomEnergies);

        double energy = npz["out_inferred_total_energy"].Data[0];
        double forceError = MaxAbs(result.Forces!.SelectMany(f => new[] { f.X, f.Y, f.Z }).ToArray(), npz["out_inferred_force"].Data);
        double atomError = MaxAbs(result.AtomEnergies!, npz["out_atomic_energy"].Data);
        // SevenNet's stress is −(1/V) ∂E/∂ε in the order xx yy zz xy yz zx; ASE's is +(1/V) ∂E/∂ε.
        var v = npz["out_inferred_stress"].Data;
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
        var npz = Npz.Read(reference);
        using var sevenNet = TorchScriptLoader.Open(model, settings: new TorchSettings { Device = "cpu" });
        using var scope = NewDisposeScope();
        using var gradients = enable_grad();
        var pos = tensor(npz["in_pos"].Floats, [96, 3]).requires_grad_(true);
        var cell = tensor(npz["in_cell_lattice_vectors"].Floats, [3, 3]);
        var edges = npz["in_edge_index"].Shape[1];
        var result = sevenNet.Call(tensor(npz["in_x"].Longs), pos, tensor(npz["in_edge_index"].Longs, [2, edges]),
            tensor(npz["in_num_atoms"].Longs), cell, tensor(npz["in_cell_volume"].Floats[0]), tensor(npz["in_pbc_shift"].Floats, [edges, 3]));
        double atomError = MaxAbs(Host(result[0]), npz["out_atomic_energy"].Data);
        double forceError = MaxAbs(Host(result[1]), npz["out_inferred_force"].Data);
        double stressError = MaxAbs(Host(result[2]), npz["out_inferred_stress"].Data);
        double energyError = Math.Abs(Host(result[0]).Sum() - npz["out_inferred_total_energy"].Data[0]);
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
        var npz = Npz.Read(reference);
        var potential = (GraphPotential)TorchScriptSpec.TryParse(model + ",device=cpu")!;
        Assert.Equal(TorchScriptKind.Mace, ((TorchScriptModel)potential.Model).Kind);
        Assert.Equal(ScalarType.Float64, potential.DType);
        var s = new Structure(npz["atomic_numbers"].Longs.Select(z => (int)z).ToArray(), Structure.ToVec3(npz["in_positions"].Data));
        var list = NeighborListBuilder.Build(s, potential.Cutoff, full: true);
        Assert.Equal(npz["in_edge_index"].Shape[1], potential.BuildGraph([s], [list]).EdgeCount);
        var result = potential.Compute(s, list, Quantities.All | Quantities.AtomEnergies);
        double energy = npz["out_energy"].Data[0];
        double forceError = MaxAbs(result.Forces!.SelectMany(f => new[] { f.X, f.Y, f.Z }).ToArray(), npz["out_forces"].Data);
        double atomError = MaxAbs(result.AtomEnergies!, npz["out_node_energy"].Data);
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
        var npz = Npz.Read(reference);
        using var mace = TorchScriptLoader.Open(model, settings: new TorchSettings { Device = "cpu" });
        using var scope = NewDisposeScope();
        using var gradients = enable_grad();
        long n = npz["in_positions"].Shape[0], e = npz["in_edge_index"].Shape[1];
        var result = mace.Call(tensor(npz["in_positions"].Data, [n, 3]), tensor(npz["in_node_attrs"].Data, [n, 3]),
            tensor(npz["in_edge_index"].Longs, [2, e]), tensor(npz["in_shifts"].Data, [e, 3]), tensor(npz["in_unit_shifts"].Data, [e, 3]),
            tensor(npz["in_cell"].Data, [3, 3]), tensor(npz["in_batch"].Longs), tensor(npz["in_ptr"].Longs), zeros([1], ScalarType.Int64), true, false);
        double atomError = MaxAbs(Host(result[0]), npz["out_node_energy"].Data);
        double forceError = MaxAbs(Host(result[1]), npz["out_forces"].Data);
        output.WriteLine($"MACE, reference inputs: max|ΔF| {forceError:E2}, max|ΔE_i| {atomError:E2}");
        Assert.True(forceError <= 1e-12, $"force error {forceError:E2}");
        Assert.True(atomError <= 1e-12, $"atom energy error {atomError:E2}");
    }
}
