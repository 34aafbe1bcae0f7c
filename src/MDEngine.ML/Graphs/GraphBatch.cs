using static TorchSharp.torch;

namespace MDEngine.ML.Graphs;

/// <summary>
/// An <see cref="AtomGraph"/> on a model's device, in its precision: the tensors a graph model reads, made on first
/// use (a model that computes its own edge vectors from positions never pays for <see cref="Vectors"/>). The tensors
/// belong to the dispose scope open when they are first read; a batch lives for one potential call.
/// </summary>
public sealed class GraphBatch(AtomGraph graph, ScalarType dtype, Device device, bool vectorsRequireGrad)
{
    private Tensor? _vectors, _positions, _species, _atomicNumbers, _sender, _receiver, _shifts, _cells, _nodeStructure, _edgeStructure;

    public AtomGraph Graph { get; } = graph;
    public ScalarType DType { get; } = dtype;
    public Device Device { get; } = device;
    public long NodeCount => Graph.NodeCount;
    public long EdgeCount => Graph.EdgeCount;
    public long StructureCount => Graph.StructureCount;

    /// <summary>[E, 3] edge vectors r_receiver − (r_sender + shift·cell), computed in float64 on the host then cast;
    /// they require grad when the potential call wants forces or stress from them.</summary>
    public Tensor Vectors => _vectors ??= MakeVectors();
    /// <summary>[N, 3] positions.</summary>
    public Tensor Positions => _positions ??= Floats(Graph.Positions, NodeCount, 3);
    /// <summary>[N] the model's species index of every node (int64).</summary>
    public Tensor Species => _species ??= Indices(Graph.Species);
    /// <summary>[N] atomic numbers (int64).</summary>
    public Tensor AtomicNumbers => _atomicNumbers ??= Indices(Graph.AtomicNumbers.Select(z => (long)z).ToArray());
    public Tensor Sender => _sender ??= Indices(Graph.Sender);
    public Tensor Receiver => _receiver ??= Indices(Graph.Receiver);
    /// <summary>[E, 3] the sender's image in lattice vectors, in the model's precision.</summary>
    public Tensor SenderShift => _shifts ??= Floats(Graph.SenderShift.Select(v => (double)v).ToArray(), EdgeCount, 3);
    /// <summary>[B, 3, 3] cells, rows the lattice vectors.</summary>
    public Tensor Cells => _cells ??= Floats(Graph.Cells, StructureCount, 3, 3);
    /// <summary>[N] the structure of every node (int64).</summary>
    public Tensor NodeStructure => _nodeStructure ??= Indices(Graph.NodeStructure);
    /// <summary>[E] the structure of every edge (int64).</summary>
    public Tensor EdgeStructure => _edgeStructure ??= Indices(Graph.EdgeStructure());

    private Tensor MakeVectors()
    {
        var v = Floats(Graph.Vectors, EdgeCount, 3);
        return vectorsRequireGrad ? v.requires_grad_(true) : v;
    }

    private Tensor Floats(double[] data, params long[] shape) => tensor(data, shape, ScalarType.Float64).to(DType, Device);
    private Tensor Indices(long[] data) => tensor(data, [data.LongLength], ScalarType.Int64).to(Device);
}
