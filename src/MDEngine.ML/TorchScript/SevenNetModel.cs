using MDEngine.ML.Graphs;
using MDEngine.Potentials;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.TorchScript;

/// <summary>
/// SevenNet's serial deployment (<c>deployed_serial.pt</c>, LAMMPS <c>pair_style e3gnn</c>), called as pair_e3gnn.cpp
/// calls it: one structure per call, a dictionary of <c>x</c> (species index in the order of the
/// <c>chemical_symbols_to_index</c> metadata, not Z), <c>pos</c> (requiring grad: the model differentiates its energy
/// with respect to it), <c>edge_index</c> (centre i, neighbor j), <c>pbc_shift</c> (integer lattice shifts of j's
/// image, in the model's float type), <c>cell_lattice_vectors</c> (rows), <c>cell_volume</c> and <c>num_atoms</c>.
/// It returns the energy, forces, per-atom energies and <c>inferred_stress</c> = −(1/V) ∂E/∂ε in the order xx, yy,
/// zz, xy, yz, zx (SevenNet's sign: positive under compression), turned here into ∂E/∂ε = −V·stress.
/// </summary>
public sealed class SevenNetModel : TorchScriptModel
{
    internal const string Method = """
  def forward_tensors(self: SELF,
    x: Tensor,
    pos: Tensor,
    edge_index: Tensor,
    num_atoms: Tensor,
    cell_lattice_vectors: Tensor,
    cell_volume: Tensor,
    pbc_shift: Tensor) -> List[Tensor]:
    data = annotate(Dict[str, Tensor], {"x": x, "pos": pos, "edge_index": edge_index, "num_atoms": num_atoms, "cell_lattice_vectors": cell_lattice_vectors, "cell_volume": cell_volume, "pbc_shift": pbc_shift})
    out = (self).forward(data, )
    return [out["atomic_energy"], out["inferred_force"], out["inferred_stress"]]
""";

    private SevenNetModel(string path, jit.ScriptModule module, double cutoff, IReadOnlyList<int> numbers, ScalarType dtype, Device device)
        : base(path, module, TorchScriptKind.SevenNet, cutoff, numbers, dtype, device) { }

    internal static SevenNetModel Create(string path, TorchScriptArchive archive, TorchScriptLoader loader)
    {
        var extra = archive.ExtraFiles;
        double cutoff = TorchScriptLoader.Number(extra, "cutoff");
        var numbers = TorchScriptLoader.Elements(extra, "chemical_symbols_to_index");
        // sevenn writes dtype="single" for its float32 deployments.
        var dtype = extra.TryGetValue("dtype", out var d) && d.Trim().ToLowerInvariant() is "double" or "float64"
            ? ScalarType.Float64 : ScalarType.Float32;
        var (module, device) = loader.Load(archive, Method, dtype);
        return new SevenNetModel(path, module, cutoff, numbers, dtype, device);
    }

    protected override GraphOutput Run(GraphBatch batch, Quantities what)
    {
        var energies = new List<Tensor>(); var forces = new List<Tensor>(); var strain = new List<Tensor>();
        for (int b = 0; b < batch.StructureCount; b++)
        {
            var (a0, a1, e0, e1) = Range(batch, b);
            var cell = batch.Cells[b];
            var volume = linalg.det(cell);   // a · (b × c), as pair_e3gnn computes it
            var pos = batch.Positions.narrow(0, a0, a1 - a0).detach().clone().requires_grad_(true);
            var result = Call(
                batch.Species.narrow(0, a0, a1 - a0),
                pos,
                EdgeIndex(batch, e0, e1, a0),
                tensor(new long[] { a1 - a0 }, device: Device),
                cell,
                volume,
                batch.SenderShift.narrow(0, e0, e1 - e0));
            energies.Add(result[0].reshape(-1));
            forces.Add(result[1]);
            strain.Add(batch.Graph.FullyPeriodic[b] ? FromSevenNetStress(result[2], volume) : zeros([3, 3], DType, Device));
        }
        return new GraphOutput { NodeEnergies = cat(energies, 0), Forces = cat(forces, 0), StrainDerivative = stack(strain) };
    }

    /// <summary>∂E/∂ε from SevenNet's stress vector (xx, yy, zz, xy, yz, zx) = −(1/V) ∂E/∂ε.</summary>
    private static Tensor FromSevenNetStress(Tensor voigt, Tensor volume)
    {
        var s = voigt.reshape(6);
        var full = stack([s[0], s[3], s[5], s[3], s[1], s[4], s[5], s[4], s[2]]).reshape(3, 3);
        return -full * volume;
    }
}
