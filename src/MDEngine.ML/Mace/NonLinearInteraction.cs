using MDEngine.ML.Kernels;
using MDEngine.ML.Graphs;
using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// mace-torch's <c>RealAgnosticResidualNonLinearInteractionBlock</c> (the MACE-MH generation): the radial network
/// sees, besides the radial embedding, learned embeddings of the sender's and the receiver's element (a LayerNorm
/// MLP, <see cref="LayerNormMlp"/>), so its weights are not symmetric in a pair; the message is normalised by
/// β·ρ_i + α with a learned local density ρ_i, gets a linear residual of the up-projected features, passes through
/// a gated non-linearity and a last linear map. The self-connection is an element-independent linear map.
/// </summary>
internal sealed class NonLinearInteraction : IInteractionBlock
{
    public required E3Linear SelfConnection { get; init; }
    public required E3Linear LinearUp { get; init; }
    public required E3Linear LinearResidual { get; init; }
    public required Tensor SourceEmbedding { get; init; } // [elements, channels]
    public required Tensor TargetEmbedding { get; init; } // [elements, channels]
    public required LayerNormMlp RadialMlp { get; init; }
    public required LayerNormMlp DensityMlp { get; init; }
    public required TensorProductUvu Convolution { get; init; }
    public required E3Linear Linear1 { get; init; }
    public required Gate Nonlinearity { get; init; }
    public required E3Linear Linear2 { get; init; }
    public required double Alpha { get; init; }
    public required double Beta { get; init; }
    public required Irreps Target { get; init; }

    public (Tensor Message, Tensor? SelfConnection) Forward(InteractionInput input)
    {
        var graph = input.Graph;
        var selfConnection = SelfConnection.Forward(input.Features);
        var up = LinearUp.Forward(input.Features);
        var residual = LinearResidual.Forward(up);
        var edgeFeatures = cat([
            input.RadialPerEdge,
            SourceEmbedding.index_select(0, input.Elements).index_select(0, graph.Sender),
            TargetEmbedding.index_select(0, input.Elements).index_select(0, graph.Receiver),
        ], 1);
        var tpWeights = RadialMlp.Forward(edgeFeatures);
        var density = graph.SumOverReceivers(tanh(DensityMlp.Forward(edgeFeatures).pow(2)));                      // [N, 1]
        var messages = Convolution.ForwardNodes(up, input.Sh, tpWeights, graph, pairedWeights: false);
        messages = Linear1.Forward(messages) / (density * Beta + Alpha) + residual;
        return (Linear2.Forward(Nonlinearity.Forward(messages)), selfConnection);
    }
}
