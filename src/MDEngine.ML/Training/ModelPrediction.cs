using MDEngine.ML.Graphs;
using MDEngine.ML.Mace;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.Training;

/// <summary>
/// A model's energies, forces and stress for a batch, as mace-torch's forward with compute_force (and
/// compute_stress): E per configuration (the sum of its atomic energies, E0s included), F = −∂E/∂r through the edge
/// vectors, σ = sym(∂E/∂ε)/V for the periodic ones (ASE's sign). For training the graph of the gradient is kept
/// (create_graph), so the loss on the forces differentiates once more, to the parameters.
/// </summary>
public sealed record ModelPrediction(Tensor Energy, Tensor Forces, Tensor? Stress)
{
    public static ModelPrediction Compute(MaceModel model, TrainingBatch batch, bool stress, bool training)
    {
        var graph = new GraphBatch(batch.Graph, model.DType, model.Device, vectorsRequireGrad: true);
        var layout = new EdgeLayout(graph.NodeCount, batch.Graph.Sender, batch.Graph.Receiver, batch.Graph.ReverseEdges(), model.Device);
        var groups = ElementGroups.From(batch.Graph.Species.Select(e => (int)e).ToArray(), model.Device);
        var nodeEnergies = model.NodeEnergies(graph.Vectors, layout, graph.Species, groups);
        var energy = zeros([graph.StructureCount], nodeEnergies.dtype, nodeEnergies.device).index_add(0, graph.NodeStructure, nodeEnergies, 1.0);
        if (graph.EdgeCount == 0)
            return new ModelPrediction(energy, zeros([graph.NodeCount, 3], model.DType, model.Device), stress ? zeros([graph.StructureCount, 3, 3], model.DType, model.Device) : null);
        var g = autograd.grad([nodeEnergies.sum()], [graph.Vectors], create_graph: training, retain_graph: training)[0];
        var forces = zeros([graph.NodeCount, 3], model.DType, model.Device)
            .index_add(0, graph.Sender, g, 1.0)
            .index_add(0, graph.Receiver, g, -1.0);
        Tensor? sigma = null;
        if (stress)
        {
            var outer = (graph.Vectors.detach().unsqueeze(2) * g.unsqueeze(1)).view(graph.EdgeCount, 9);
            var w = zeros([graph.StructureCount, 9], model.DType, model.Device).index_add(0, graph.EdgeStructure, outer, 1.0).view(graph.StructureCount, 3, 3);
            var volumes = batch.Configurations.Select(c => c.Structure.Pbc.AllPeriodic ? 1.0 / Math.Abs(c.Structure.Cell.Volume) : 0.0).ToArray();
            sigma = 0.5 * (w + w.transpose(1, 2)) * tensor(volumes, ScalarType.Float64).to(model.DType, model.Device).view(-1, 1, 1);
        }
        return new ModelPrediction(energy, forces, sigma);
    }
}
