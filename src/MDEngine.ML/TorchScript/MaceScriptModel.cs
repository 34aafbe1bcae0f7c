using MDEngine.ML.Graphs;
using MDEngine.Potentials;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.TorchScript;

/// <summary>
/// mace-torch models in TorchScript, fed the data dictionary of mace-torch's own calculator: <c>positions</c>,
/// <c>node_attrs</c> (one-hot over the model's <c>atomic_numbers</c> buffer), <c>edge_index</c> (rows sender,
/// receiver in mace-torch's words, i.e. ASE's i and j), <c>shifts</c> = S·cell and <c>unit_shifts</c> = S, <c>cell</c>
/// (the batch's cells stacked, [3B, 3]), <c>batch</c>, <c>ptr</c> and <c>head</c>; the cutoff is the <c>r_max</c>
/// buffer and the precision that of the model's parameters. Two kinds of file:
/// <list type="bullet">
/// <item><see cref="TorchScriptKind.Mace"/>: <c>torch.jit.script(model)</c>, forward(data, training, compute_force,
/// compute_virials, compute_stress, ...). The whole batch goes in one call (mace-torch batches through
/// <c>batch</c>/<c>ptr</c>); forces and virials (= −∂E/∂ε) come from the model.</item>
/// <item><see cref="TorchScriptKind.MaceLammps"/>: the LAMMPS_MACE wrapper of <c>create_lammps_model</c>,
/// forward(data, local_or_ghost, compute_virials), which sums the energies of atoms flagged local (here all of them,
/// since periodic images enter as shifts, not ghost atoms) and differentiates that sum. It stores a one-element head
/// index, so it is called one structure at a time, as LAMMPS does.</item>
/// </list>
/// </summary>
public sealed class MaceScriptModel : TorchScriptModel
{
    private const string InputDeclarations = """
    positions: Tensor,
    node_attrs: Tensor,
    edge_index: Tensor,
    shifts: Tensor,
    unit_shifts: Tensor,
    cell: Tensor,
    batch: Tensor,
    ptr: Tensor,
""";

    private const string Outputs = """
    result = annotate(List[Tensor], [])
    for key in ["node_energy", "forces", "virials"]:
      value = out[key]
      if value is None:
        result.append(torch.zeros([0], dtype=ops.prim.dtype(positions), layout=None, device=ops.prim.device(positions)))
      else:
        result.append(unchecked_cast(Tensor, value))
    return result
  def model_metadata(self: SELF) -> List[Tensor]:
    return [self.atomic_numbers, self.r_max]
""";

    internal const string ScriptedMethod = "  def forward_tensors(self: SELF,\n" + InputDeclarations + """
    head: Tensor,
    compute_force: bool,
    compute_virials: bool) -> List[Tensor]:
    data = annotate(Dict[str, Tensor], {"positions": positions, "node_attrs": node_attrs, "edge_index": edge_index, "shifts": shifts, "unit_shifts": unit_shifts, "cell": cell, "batch": batch, "ptr": ptr, "head": head})
    out = (self).forward(data, training=False, compute_force=compute_force, compute_virials=compute_virials, compute_stress=False)

""" + Outputs;

    internal const string LammpsMethod = "  def forward_tensors(self: SELF,\n" + InputDeclarations + """
    local_or_ghost: Tensor,
    compute_virials: bool) -> List[Tensor]:
    data = annotate(Dict[str, Tensor], {"positions": positions, "node_attrs": node_attrs, "edge_index": edge_index, "shifts": shifts, "unit_shifts": unit_shifts, "cell": cell, "batch": batch, "ptr": ptr})
    out = (self).forward(data, local_or_ghost, compute_virials)

""" + Outputs;

    private MaceScriptModel(string path, jit.ScriptModule module, TorchScriptKind kind, double cutoff, IReadOnlyList<int> numbers, ScalarType dtype, Device device)
        : base(path, module, kind, cutoff, numbers, dtype, device) { }

    internal static MaceScriptModel Create(string path, TorchScriptArchive archive, TorchScriptLoader loader, TorchScriptKind kind)
    {
        var (module, device) = loader.Load(archive, kind == TorchScriptKind.Mace ? ScriptedMethod : LammpsMethod, fileDType: null);
        try
        {
            var metadata = (Tensor[])module.invoke("model_metadata");
            var numbers = metadata[0].cpu().to(ScalarType.Int64).data<long>().Select(z => (int)z).ToArray();
            double cutoff = metadata[1].cpu().to(ScalarType.Float64).item<double>();
            // The precision of the weights; a model without parameters (frozen) keeps r_max in its default dtype.
            var dtype = module.parameters().Select(p => p.dtype).FirstOrDefault(t => t is ScalarType.Float32 or ScalarType.Float64, metadata[1].dtype);
            if (dtype is not (ScalarType.Float32 or ScalarType.Float64)) throw new ModelException($"the model's precision {dtype} is not float32 or float64");
            loader.CheckPrecision(dtype);
            return new MaceScriptModel(path, module, kind, cutoff, numbers, dtype, device);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    protected override GraphOutput Run(GraphBatch batch, Quantities what)
    {
        bool forces = (what & Quantities.Forces) != 0, virials = (what & Quantities.Stress) != 0;
        if (Kind == TorchScriptKind.Mace)
        {
            var inputs = Inputs(batch, 0, (int)batch.StructureCount);
            var result = Call([.. inputs, zeros([batch.StructureCount], ScalarType.Int64, Device), forces || virials, virials]);
            return Output(result, batch.NodeCount, batch.StructureCount, virials);
        }
        var energies = new List<Tensor>(); var allForces = new List<Tensor>(); var strain = new List<Tensor>();
        for (int b = 0; b < batch.StructureCount; b++)
        {
            var (a0, a1, _, _) = Range(batch, b);
            var inputs = Inputs(batch, b, b + 1);
            var result = Call([.. inputs, ones([a1 - a0], DType, Device), virials]);
            var output = Output(result, a1 - a0, 1, virials);
            energies.Add(output.NodeEnergies); allForces.Add(output.Forces!); strain.Add(output.StrainDerivative!);
        }
        return new GraphOutput { NodeEnergies = cat(energies, 0), Forces = cat(allForces, 0), StrainDerivative = cat(strain, 0) };
    }

    /// <summary>mace-torch's data dictionary for structures [first, last) of the batch, in the order of
    /// <see cref="InputDeclarations"/>.</summary>
    private object[] Inputs(GraphBatch batch, int first, int last)
    {
        var graph = batch.Graph;
        int a0 = graph.AtomOffsets[first], a1 = graph.AtomOffsets[last], e0 = graph.EdgeOffsets[first], e1 = graph.EdgeOffsets[last];
        var unitShifts = batch.SenderShift.narrow(0, e0, e1 - e0);
        var cells = batch.Cells.narrow(0, first, last - first);
        var nodeStructure = batch.NodeStructure.narrow(0, a0, a1 - a0) - first;
        var edgeStructure = batch.EdgeStructure.narrow(0, e0, e1 - e0) - first;
        // shifts = S·cell of the edge's own structure
        var shifts = matmul(unitShifts.unsqueeze(1), cells.index_select(0, edgeStructure)).squeeze(1);
        var ptr = tensor(graph.AtomOffsets[first..(last + 1)].Select(a => (long)(a - a0)).ToArray(), ScalarType.Int64).to(Device);
        return
        [
            batch.Positions.narrow(0, a0, a1 - a0).detach().clone(),
            nn.functional.one_hot(batch.Species.narrow(0, a0, a1 - a0), AtomicNumbers.Count).to(DType),
            EdgeIndex(batch, e0, e1, a0),
            shifts,
            unitShifts,
            cells.reshape(3 * (last - first), 3),
            nodeStructure,
            ptr,
        ];
    }

    private GraphOutput Output(Tensor[] result, long atoms, long structures, bool virials)
    {
        var nodeEnergies = result[0].reshape(-1);
        var forces = result[1].numel() == 0 ? zeros([atoms, 3], DType, Device) : result[1];
        // mace-torch's virials are −∂E/∂ε
        var strain = virials && result[2].numel() > 0 ? -result[2].reshape(structures, 3, 3) : zeros([structures, 3, 3], DType, Device);
        return new GraphOutput { NodeEnergies = nodeEnergies, Forces = forces, StrainDerivative = strain };
    }
}
