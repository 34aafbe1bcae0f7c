using MDEngine.Potentials;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.Graphs;

/// <summary>
/// A graph model whose energy depends on positions only through the edge vectors (MACE, TensorNet, most message-passing
/// potentials). It computes atomic energies; forces and stress follow from one reverse pass through the edge vectors
/// v_e = r_receiver − r_sender_image, assembled on the device: with g_e = ∂E/∂v_e,
/// F_receiver −= g_e and F_sender += g_e; a homogeneous strain maps every v_e to v_e(1+ε) (positions and cell strained
/// alike), so ∂E/∂ε_ab = Σ_e v_ea g_eb over the structure's edges. Only [N, 3] forces and [B, 3, 3] strain derivatives
/// cross to the host, never the [E, 3] edge gradients.
/// </summary>
public abstract class EdgeEnergyModel : GraphModel
{
    /// <summary>[N] the energy of every atom from the batch's edge vectors (<see cref="GraphBatch.Vectors"/>).</summary>
    public abstract Tensor NodeEnergies(GraphBatch batch);

    public sealed override GraphOutput Evaluate(GraphBatch batch, Quantities what)
    {
        bool forces = (what & Quantities.Forces) != 0, strain = (what & Quantities.Stress) != 0;
        var energies = NodeEnergies(batch);
        if (!(forces || strain)) return new GraphOutput { NodeEnergies = energies };
        if (batch.EdgeCount == 0) // isolated atoms: no edge, no force, no virial
            return new GraphOutput
            {
                NodeEnergies = energies,
                Forces = forces ? zeros([batch.NodeCount, 3], DType, Device) : null,
                StrainDerivative = strain ? zeros([batch.StructureCount, 3, 3], DType, Device) : null,
            };
        var g = autograd.grad([energies.sum()], [batch.Vectors])[0];
        StageClock.Mark("reverse: other");
        Tensor? f = null, w = null;
        if (forces)
            f = zeros([batch.NodeCount, 3], DType, Device)
                .index_add_(0, batch.Sender, g, 1.0)
                .index_add_(0, batch.Receiver, g, -1.0);
        if (strain)
        {
            var outer = (batch.Vectors.detach().unsqueeze(2) * g.unsqueeze(1)).view(batch.EdgeCount, 9);
            w = zeros([batch.StructureCount, 9], DType, Device).index_add_(0, batch.EdgeStructure, outer, 1.0).view(batch.StructureCount, 3, 3);
        }
        StageClock.Mark("forces, virial");
        return new GraphOutput { NodeEnergies = energies.detach(), Forces = f, StrainDerivative = w };
    }
}
