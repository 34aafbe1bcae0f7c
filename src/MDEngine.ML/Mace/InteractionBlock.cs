using MDEngine.ML.Kernels;
using MDEngine.ML.Graphs;
using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>What every MACE interaction block reads: the layer's node features, the element of every node, the edge
/// spherical harmonics, the radial embedding and the edge lengths [rows, 1] (these two with one row per edge pair when
/// <see cref="Paired"/>), and the graph.</summary>
internal sealed record InteractionInput(Tensor Features, Tensor Elements, ElementGroups Groups, Tensor Sh, Tensor Radial, Tensor Lengths, EdgeLayout Graph, bool Paired)
{
    /// <summary>The radial embedding with one row per edge.</summary>
    public Tensor RadialPerEdge => Paired ? Radial.index_select(0, Graph.EdgePairIndex!) : Radial;
}

/// <summary>
/// One of mace-torch's interaction blocks: the message A_i of every node (mul_ir layout of <see cref="Target"/>) and,
/// for residual blocks, the self-connection the product block adds to its output.
/// </summary>
internal interface IInteractionBlock
{
    Irreps Target { get; }
    (Tensor Message, Tensor? SelfConnection) Forward(InteractionInput input);
}
