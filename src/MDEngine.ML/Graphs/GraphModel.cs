using MDEngine.Potentials;
using static TorchSharp.torch;

namespace MDEngine.ML.Graphs;

/// <summary>What a graph model returns for a batch, as tensors on its device.</summary>
public sealed class GraphOutput
{
    /// <summary>[N] energy of every atom (eV).</summary>
    public required Tensor NodeEnergies { get; init; }
    /// <summary>[N, 3] forces (eV/Å), when asked for (in the model's precision, or float64 where summed on the host).</summary>
    public Tensor? Forces { get; init; }
    /// <summary>[B, 3, 3] ∂E/∂ε of every structure under a homogeneous strain of positions and cell (eV), when asked
    /// for; the stress is its symmetric part over the volume (ASE's sign). Precision as <see cref="Forces"/>.</summary>
    public Tensor? StrainDerivative { get; init; }
}

/// <summary>
/// A machine-learned model on a batched atom graph: the one thing a model family implements. The
/// <see cref="GraphPotential"/> adapter turns it into a <see cref="Potential"/> (graph building, batching, coverage,
/// the transfer of results to the host).
/// </summary>
public abstract class GraphModel
{
    /// <summary>A short name for logs (family and file).</summary>
    public abstract string Name { get; }
    /// <summary>Interaction range (Å): the graph holds every pair closer than this.</summary>
    public abstract double Cutoff { get; }
    /// <summary>The elements the model covers, in the order of its species index.</summary>
    public abstract IReadOnlyList<int> AtomicNumbers { get; }
    public abstract ScalarType DType { get; }
    public abstract Device Device { get; }
    /// <summary>True when the model differentiates <see cref="GraphBatch.Vectors"/> (the adapter then makes them
    /// require grad when forces or stress are wanted).</summary>
    public virtual bool DifferentiatesEdgeVectors => true;

    /// <summary>True when the model splits its heavy CPU stages over the threads itself; it is then evaluated inside
    /// <see cref="Kernels.CpuParallel.OwnThreads"/> (torch's own operations on one thread).</summary>
    public virtual bool ParallelisesCpuItself => false;

    /// <summary>True when independent graphs may be evaluated on several threads at once (an evaluation writes no state
    /// of the model): on the CPU, <see cref="GraphPotential"/> then gives each thread its own part of a batch of several
    /// structures, torch on one thread per part.</summary>
    public virtual bool EvaluatesGraphsConcurrently => ParallelisesCpuItself;

    /// <summary>Evaluates a batch: node energies always, forces and ∂E/∂ε when <paramref name="what"/> asks.</summary>
    public abstract GraphOutput Evaluate(GraphBatch batch, Quantities what);
}
