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
/// the batch allows it for. A single structure is a batch of one. On the CPU, a model that may evaluate graphs
/// concurrently (<see cref="GraphModel.EvaluatesGraphsConcurrently"/>) gets a batch of several structures as one part
/// per thread instead, each part a graph of its own evaluated on its own thread.
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
        // One model call for the whole batch (or per thread's part), asked for what any structure wants; the batch
        // keeps of each result what that structure wants.
        var what = batch.Union;
        bool needGradient = (what & (Quantities.Forces | Quantities.Stress)) != 0;

        using var scope = NewDisposeScope();
        using var gradMode = needGradient ? enable_grad() : no_grad();
        bool cpu = Device.type == DeviceType.CPU;
        var parts = !cpu || !Model.EvaluatesGraphsConcurrently || !_evaluated || StageClock.Recording ? null
            : ThreadParts(structures.Select(s => s.Count).ToArray(), Kernels.CpuParallel.Threads);
        using var threads = cpu && (Model.ParallelisesCpuItself || parts is not null) ? Kernels.CpuParallel.OwnThreads() : null;
        if (parts is null) Evaluate(batch, structures, neighbors, 0, structures.Length, what, needGradient);
        else Kernels.CpuParallel.For(parts.Length, k => Kernels.CpuParallel.OnSectionThread(() =>
        {
            Evaluate(batch, structures, neighbors, parts[k].First, parts[k].Count, what, needGradient);
            return 0;
        }, needGradient));
        _evaluated = true;
    }

    /// <summary>Set after the first evaluation, which builds what the model builds at first use (not inside a parallel
    /// section).</summary>
    private bool _evaluated;

    /// <summary>
    /// A batch of several structures split into one contiguous part per thread, each evaluated whole on its own thread
    /// (a batched relaxation of small cells: no serial step between the kernels, no thread waits for another), or
    /// null: one thread, one structure, or a largest part more than a fifth above the mean, which would leave the other
    /// threads idle — then the kernels split the work of the whole batch instead. <paramref name="atoms"/>: each
    /// structure's atom count (the cost of an evaluation grows with it).
    /// </summary>
    internal static (int First, int Count)[]? ThreadParts(int[] atoms, int threads)
    {
        int count = Math.Min(threads, atoms.Length);
        if (count < 2) return null;
        long total = atoms.Sum(a => (long)a);
        var parts = new (int First, int Count)[count];
        var sizes = new long[count];
        int first = 0;
        for (int k = 0; k < count; k++)
        {
            // Part k takes structures until its atoms reach its share of the total (a structure joins when at least
            // half of it fits), leaving one structure for each later part; the last part takes the rest.
            long target = total * (k + 1) / count - (total * k / count);
            int end = first;
            do sizes[k] += atoms[end++];
            while (end < atoms.Length - (count - 1 - k) && (k == count - 1 || sizes[k] + atoms[end] / 2 <= target));
            parts[k] = (first, end - first);
            first = end;
        }
        return sizes.Max() <= 1.2 * total / count ? parts : null;
    }

    /// <summary>Structures [first, first + count) as one graph through one model call; stores their results.</summary>
    private void Evaluate(PotentialBatch batch, Structure[] all, NeighborList[] allNeighbors, int first, int count, Quantities what, bool needGradient)
    {
        var structures = all.AsSpan(first, count).ToArray();
        var graph = BuildGraph(structures, allNeighbors.AsSpan(first, count).ToArray());
        var graphBatch = new GraphBatch(graph, DType, Device, needGradient && Model.DifferentiatesEdgeVectors);
        var output = Model.Evaluate(graphBatch, what);

        var atomEnergies = ToHost(output.NodeEnergies);
        var energies = new double[graph.StructureCount]; // each structure's atoms summed in float64, in atom order
        for (int i = 0; i < energies.Length; i++)
            for (int a = graph.AtomOffsets[i]; a < graph.AtomOffsets[i + 1]; a++) energies[i] += atomEnergies[a];
        var forces = (what & Quantities.Forces) != 0 && output.Forces is not null ? ToHost(output.Forces) : null;
        var strain = (what & Quantities.Stress) != 0 && output.StrainDerivative is not null ? ToHost(output.StrainDerivative) : null;

        for (int i = 0; i < structures.Length; i++)
        {
            int b = first + i;
            var s = structures[i];
            int atom0 = graph.AtomOffsets[i];
            if (batch.ForcesOf(b) is { } destination && forces is not null) CopyVectors(forces, atom0, destination);
            batch.Store(b, energies[i],
                stress: strain is null || !batch.Wants(b, Quantities.Stress) ? null : Stress(strain.AsSpan(9 * i, 9), s.Cell.Volume),
                atomEnergies: batch.Wants(b, Quantities.AtomEnergies) ? atomEnergies.AsSpan(atom0, s.Count).ToArray() : null);
        }
    }

    private static unsafe double[] ToHost(Tensor t)
    {
        var host = t.detach().to(ScalarType.Float64).cpu().contiguous();
        var values = new ReadOnlySpan<double>(Kernels.TensorMemory.Pointer<double>(host), (int)host.numel()).ToArray();
        GC.KeepAlive(host); // its memory was read through a pointer: not finalized before the copy is done
        return values;
    }

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
