using MDEngine.ML.Graphs;
using MDEngine.Neighbors;
using static TorchSharp.torch;

namespace MDEngine.ML.Training;

/// <summary>
/// Several configurations collated as one disconnected graph (mace-torch's DataLoader batch), with their labels and
/// loss weights as tensors on the model's device. The neighbour list of each configuration is built once
/// (<see cref="NeighborCache"/>), so a reshuffled batch costs only the collation.
/// </summary>
public sealed class TrainingBatch
{
    public IReadOnlyList<TrainingConfiguration> Configurations { get; }
    public AtomGraph Graph { get; }
    public int StructureCount => Configurations.Count;

    public TrainingBatch(IReadOnlyList<TrainingConfiguration> configurations, NeighborCache neighbors, IReadOnlyDictionary<int, int> speciesIndex)
    {
        Configurations = configurations;
        Graph = AtomGraph.Build(configurations.Select(c => c.Structure).ToArray(), configurations.Select(neighbors.Get).ToArray(), neighbors.Cutoff, speciesIndex);
    }

    /// <summary>The labels and weights as tensors (made in the caller's dispose scope).</summary>
    public BatchLabels Labels(ScalarType dtype, Device device)
    {
        Tensor Floats(IEnumerable<double> values, params long[] shape) => tensor(values.ToArray(), shape, ScalarType.Float64).to(dtype, device);
        int b = StructureCount, n = Graph.NodeCount;
        return new BatchLabels
        {
            Energy = Floats(Configurations.Select(c => c.Energy ?? 0.0), b),
            Forces = Floats(Configurations.SelectMany(c => c.Forces is { } f ? f.SelectMany(v => new[] { v.X, v.Y, v.Z }) : new double[3 * c.AtomCount]), n, 3),
            Stress = Floats(Configurations.SelectMany(c => c.Stress is { } s ? s.ToArray() : new double[9]), b, 3, 3),
            AtomCount = Floats(Configurations.Select(c => (double)c.AtomCount), b),
            VolumePerAtom = Floats(Configurations.Select(c => c.Structure.Pbc.AllPeriodic ? Math.Abs(c.Structure.Cell.Volume) / c.AtomCount : 0.0), b),
            Weight = Floats(Configurations.Select(c => c.Weight), b),
            EnergyWeight = Floats(Configurations.Select(c => c.EnergyWeight), b),
            ForcesWeight = Floats(Configurations.Select(c => c.ForcesWeight), b),
            StressWeight = Floats(Configurations.Select(c => c.StressWeight), b),
            NodeStructure = tensor(Graph.NodeStructure, [n], ScalarType.Int64).to(device),
        };
    }
}

/// <summary>A batch's reference values and loss weights: [B] per configuration, [N, 3] forces, [B, 3, 3] stress.</summary>
public sealed class BatchLabels
{
    public required Tensor Energy { get; init; }
    public required Tensor Forces { get; init; }
    public required Tensor Stress { get; init; }
    public required Tensor AtomCount { get; init; }
    /// <summary>[B] V/N of periodic configurations (0 otherwise): the virial per atom is −σ·V/N.</summary>
    public required Tensor VolumePerAtom { get; init; }
    public required Tensor Weight { get; init; }
    public required Tensor EnergyWeight { get; init; }
    public required Tensor ForcesWeight { get; init; }
    public required Tensor StressWeight { get; init; }
    /// <summary>[N] the configuration of every atom.</summary>
    public required Tensor NodeStructure { get; init; }
}

/// <summary>Full neighbour lists at the model's cutoff, one per configuration, built on first use.</summary>
public sealed class NeighborCache(double cutoff)
{
    private readonly Dictionary<TrainingConfiguration, NeighborList> _lists = new(ReferenceEqualityComparer.Instance);
    public double Cutoff { get; } = cutoff;

    public NeighborList Get(TrainingConfiguration c)
    {
        lock (_lists)
        {
            if (!_lists.TryGetValue(c, out var list)) _lists[c] = list = NeighborListBuilder.Build(c.Structure, Cutoff, full: true);
            return list;
        }
    }
}
