using MDEngine.ML.Graphs;
using MDEngine.Potentials;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.TorchScript;

/// <summary>
/// NequIP and Allegro TorchScript deployments (<c>nequip-deploy build</c>, <c>nequip-compile --mode torchscript</c>),
/// called as LAMMPS's pair_nequip calls a NequIP model: one structure per call, a dictionary of <c>pos</c>,
/// <c>edge_index</c> (centre i, neighbor j), <c>edge_cell_shift</c> (integer lattice shifts of j's image, so the model's
/// edge vector is pos[j] − pos[i] + shift·cell), <c>cell</c> [1, 3, 3] and <c>atom_types</c> (index in the
/// <c>type_names</c> metadata). An Allegro model given the cell and shifts computes the same edge vectors, so one
/// convention serves both. Outputs: <c>atomic_energy</c> [N, 1], <c>forces</c>, and, when the model was built with
/// stress output, <c>virial</c> [1, 3, 3] = −∂E/∂ε (nequip's sign, which pair_nequip hands to LAMMPS as is).
/// A <c>per_edge_type_cutoff</c> in the metadata drops the edges pair_nequip drops (|r_ij| above the cutoff of the
/// centre's and neighbor's types).
/// </summary>
public sealed class NequipModel : TorchScriptModel
{
    internal const string Method = """
  def forward_tensors(self: SELF,
    pos: Tensor,
    edge_index: Tensor,
    atom_types: Tensor,
    cell: Tensor,
    edge_cell_shift: Tensor) -> List[Tensor]:
    data = annotate(Dict[str, Tensor], {"pos": pos, "edge_index": edge_index, "atom_types": atom_types, "cell": cell, "edge_cell_shift": edge_cell_shift})
    out = (self).forward(data, )
    result = [out["atomic_energy"], out["forces"]]
    if torch.__contains__(out, "virial"):
      _0 = torch.append(result, out["virial"])
    return result
""";

    private readonly double[,]? _typeCutoffs;

    private NequipModel(string path, jit.ScriptModule module, double cutoff, IReadOnlyList<int> numbers, ScalarType dtype,
        Device device, double[,]? typeCutoffs)
        : base(path, module, TorchScriptKind.Nequip, cutoff, numbers, dtype, device) => _typeCutoffs = typeCutoffs;

    internal static NequipModel Create(string path, TorchScriptArchive archive, TorchScriptLoader loader)
    {
        var extra = archive.ExtraFiles;
        double cutoff = TorchScriptLoader.Number(extra, "r_max");
        var numbers = TorchScriptLoader.Elements(extra, "type_names");
        var dtype = extra.TryGetValue("model_dtype", out var d) && d.Trim() == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        double[,]? typeCutoffs = null;
        if (extra.TryGetValue("per_edge_type_cutoff", out var matrix) && matrix.Trim().Length > 0)
        {
            var values = matrix.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(v => TorchScriptLoader.Number("per_edge_type_cutoff", v)).ToArray();
            int n = numbers.Length;
            if (values.Length != n * n) throw new ModelException($"per_edge_type_cutoff has {values.Length} values for {n} types (expected {n * n})");
            typeCutoffs = new double[n, n];
            for (int k = 0; k < values.Length; k++) typeCutoffs[k / n, k % n] = values[k];
        }
        var (module, device) = loader.Load(archive, Method, dtype);
        return new NequipModel(path, module, cutoff, numbers, dtype, device, typeCutoffs);
    }

    protected override GraphOutput Run(GraphBatch batch, Quantities what)
    {
        var energies = new List<Tensor>(); var forces = new List<Tensor>(); var strain = new List<Tensor>();
        var keep = _typeCutoffs is null ? null : EdgesWithinTypeCutoffs(batch.Graph);
        for (int b = 0; b < batch.StructureCount; b++)
        {
            var (a0, a1, e0, e1) = Range(batch, b);
            var edgeIndex = EdgeIndex(batch, e0, e1, a0);
            var shifts = batch.SenderShift.narrow(0, e0, e1 - e0);
            if (keep is not null)
            {
                var selected = tensor(Enumerable.Range(e0, e1 - e0).Where(e => keep[e]).Select(e => (long)(e - e0)).ToArray(), ScalarType.Int64).to(Device);
                edgeIndex = edgeIndex.index_select(1, selected);
                shifts = shifts.index_select(0, selected);
            }
            var result = Call(
                batch.Positions.narrow(0, a0, a1 - a0).detach().clone(),
                edgeIndex,
                batch.Species.narrow(0, a0, a1 - a0),
                batch.Cells[b].unsqueeze(0),
                shifts);
            energies.Add(result[0].reshape(-1));
            forces.Add(result[1]);
            if ((what & Quantities.Stress) != 0 && batch.Graph.FullyPeriodic[b] && result.Length < 3)
                throw new ModelException($"{Name}: the model has no virial output (it was trained without stress), so it gives no stress");
            strain.Add(result.Length >= 3 ? -result[2].reshape(3, 3) : zeros([3, 3], DType, Device));
        }
        return new GraphOutput { NodeEnergies = cat(energies, 0), Forces = cat(forces, 0), StrainDerivative = stack(strain) };
    }

    private bool[] EdgesWithinTypeCutoffs(AtomGraph graph)
    {
        var keep = new bool[graph.EdgeCount];
        for (int e = 0; e < graph.EdgeCount; e++)
        {
            double x = graph.Vectors[3 * e], y = graph.Vectors[3 * e + 1], z = graph.Vectors[3 * e + 2];
            double cut = _typeCutoffs![graph.Species[graph.Receiver[e]], graph.Species[graph.Sender[e]]];
            keep[e] = x * x + y * y + z * z <= cut * cut;
        }
        return keep;
    }
}
