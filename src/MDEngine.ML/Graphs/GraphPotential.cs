using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.Graphs;

/// <summary>
/// Any <see cref="GraphModel"/> as an interatomic potential: checks that the model covers the batch's elements,
/// builds one graph for the whole batch, calls the model once, and brings back per structure the energy (the sum of
/// its atoms' energies), forces and the stress σ = sym(∂E/∂ε) / V (ASE's sign), the stress only for structures
/// the batch allows it for. A single structure is a batch of one.
/// </summary>
public class GraphPotential : Potential
{
    private readonly Dictionary<int, int> _speciesIndex;
    private readonly HashSet<int> _elements;

    public GraphModel Model { get; }
    public override string Name { get; }
    public override double Cutoff => Model.Cutoff;
    public override IReadOnlySet<int>? Elements => _elements;
    public override bool NeedsFullNeighborList => true;
    public ScalarType DType => Model.DType;
    public Device Device => Model.Device;

    public GraphPotential(GraphModel model, string? name = null)
    {
        Model = model;
        Name = name ?? model.Name;
        _speciesIndex = model.AtomicNumbers.Select((z, i) => (z, i)).ToDictionary(t => t.z, t => t.i);
        _elements = [.. model.AtomicNumbers];
    }

    /// <summary>The graph of a batch as this model sees it (its cutoff and species indices).</summary>
    public AtomGraph BuildGraph(IReadOnlyList<Structure> structures, IReadOnlyList<NeighborList> neighbors) =>
        AtomGraph.Build(structures, neighbors, Cutoff, _speciesIndex);

    public override void Compute(PotentialBatch batch)
    {
        var structures = new Structure[batch.Count];
        var neighbors = new NeighborList[batch.Count];
        for (int b = 0; b < batch.Count; b++) (structures[b], neighbors[b]) = (batch.Structure(b), batch.Neighbors(b));
        foreach (var s in structures) CheckCovers(s);
        var graph = BuildGraph(structures, neighbors);
        // One model call for the whole batch, asked for what any structure wants; the batch keeps of each result
        // what that structure wants.
        var what = batch.Union;
        bool needGradient = (what & (Quantities.Forces | Quantities.Stress)) != 0;

        using var scope = NewDisposeScope();
        using var gradMode = needGradient ? enable_grad() : no_grad();
        using var threads = Model.ParallelisesCpuItself && Device.type == DeviceType.CPU ? Kernels.CpuParallel.OwnThreads() : null;
        var graphBatch = new GraphBatch(graph, DType, Device, needGradient && Model.DifferentiatesEdgeVectors);
        var output = Model.Evaluate(graphBatch, what);

        var atomEnergies = ToHost(output.NodeEnergies);
        var energies = ToHost(zeros([graph.StructureCount], output.NodeEnergies.dtype, output.NodeEnergies.device)
            .index_add_(0, graphBatch.NodeStructure, output.NodeEnergies.detach(), 1.0));
        var forces = (what & Quantities.Forces) != 0 && output.Forces is not null ? ToHost(output.Forces) : null;
        var strain = (what & Quantities.Stress) != 0 && output.StrainDerivative is not null ? ToHost(output.StrainDerivative) : null;

        for (int b = 0; b < structures.Length; b++)
        {
            var s = structures[b];
            int atom0 = graph.AtomOffsets[b];
            if (batch.ForcesOf(b) is { } destination && forces is not null) CopyVectors(forces, atom0, destination);
            batch.Store(b, energies[b],
                stress: strain is null || !batch.Wants(b, Quantities.Stress) ? null : Stress(strain.AsSpan(9 * b, 9), s.Cell.Volume),
                atomEnergies: batch.Wants(b, Quantities.AtomEnergies) ? atomEnergies.AsSpan(atom0, s.Count).ToArray() : null);
        }
    }

    private static double[] ToHost(Tensor t) => t.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();

    private static void CopyVectors(double[] flat, int first, Vec3[] destination)
    {
        for (int a = 0; a < destination.Length; a++)
            destination[a] = new Vec3(flat[3 * (first + a)], flat[3 * (first + a) + 1], flat[3 * (first + a) + 2]);
    }

    /// <summary>σ = sym(∂E/∂ε) / V: a rotation of the whole structure leaves E unchanged, so the antisymmetric part of
    /// ∂E/∂ε vanishes up to round-off, and the symmetric part is the stress.</summary>
    private static Mat3 Stress(ReadOnlySpan<double> w, double volume)
    {
        double inv = 1.0 / Math.Abs(volume);
        var sym = new double[9];
        for (int a = 0; a < 3; a++)
            for (int c = 0; c < 3; c++) sym[3 * a + c] = 0.5 * (w[3 * a + c] + w[3 * c + a]) * inv;
        return Mat3.FromArray(sym);
    }
}
