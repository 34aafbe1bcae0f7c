using MDEngine.ML.Kernels;
using MDEngine.ML.Graphs;
using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// mace-torch's element-agnostic interaction blocks (Batatia et al. 2022, eq. 8–9): up-project the node features,
/// convolve them with the edge spherical harmonics weighted by a radial network, sum over neighbours, mix, and
/// normalise: by avg_num_neighbors, or (density blocks) by 1 + the learned local density. Residual blocks
/// (<c>RealAgnosticResidualInteractionBlock</c>, <c>RealAgnosticDensityResidualInteractionBlock</c>) return an
/// element-dependent mix of the input as self-connection; the plain ones (<c>RealAgnosticInteractionBlock</c>,
/// <c>RealAgnosticDensityInteractionBlock</c>) apply that mix to the message instead.
/// </summary>
internal sealed class AgnosticInteraction : IInteractionBlock
{
    public required E3Linear LinearUp { get; init; }
    public required TensorProductUvu Convolution { get; init; }
    public required FullyConnectedNet RadialMlp { get; init; }
    /// <summary>The radial network as splines of the edge length (the approximate fast mode); null: the network.</summary>
    public RadialSpline? RadialSpline { get; init; }
    /// <summary>Density blocks: the network of the edge density that normalises the message.</summary>
    public FullyConnectedNet? DensityNet { get; init; }
    public required E3Linear Linear { get; init; }
    /// <summary>Residual blocks: the element-dependent mix of the input features added after the product.</summary>
    public ScalarTensorProduct? SelfConnection { get; init; }
    /// <summary>Plain blocks: the element-dependent mix of the message.</summary>
    public ScalarTensorProduct? MessageMix { get; init; }
    public required double AvgNumNeighbors { get; init; }
    public required Irreps Target { get; init; }

    public (Tensor Message, Tensor? SelfConnection) Forward(InteractionInput input)
    {
        var selfConnection = SelfConnection?.Forward(input.Features, input.Elements, input.Groups.Single);
        // With the fused CPU kernel, the per-node steps around it (the up-projection and the layout changes to and
        // from the kernel's channels-last rows) are split over the threads with the per-node mixing after it.
        bool kernel = Convolution.UsesKernel(input.Features);
        var up = kernel
            ? RowParallel.Apply("linear up", (rows, _, _) => Convolution.ToKernelLayout(LinearUp.Forward(rows[0])), [input.Features])
            : LinearUp.Forward(input.Features);
        StageClock.Mark("linear up");
        var tpWeights = RadialWeights(input);
        StageClock.Mark("radial networks");
        var messages = kernel
            ? Convolution.ConvolveKernelLayout(up, input.Sh, tpWeights, input.Graph, input.Paired)
            : Convolution.ForwardNodes(up, input.Sh, tpWeights, input.Graph, input.Paired);
        StageClock.Mark("convolution");
        var normaliser = Normaliser(input);
        Tensor Mix(Tensor[] rows, int start, int length)
        {
            var received = kernel ? Convolution.FromKernelLayout(rows[0]) : rows[0];
            var mixed = normaliser is null ? Linear.Forward(received) / AvgNumNeighbors : Linear.Forward(received) / rows[2];
            return MessageMix is { } mix ? mix.Forward(mixed, rows[1], input.Groups.Single) : mixed;
        }
        messages = RowParallel.Apply("product", Mix, normaliser is null ? [messages, input.Elements] : [messages, input.Elements, normaliser]);
        return (messages, selfConnection);
    }

    /// <summary>The per-node layers on channels-last features (<see cref="ChannelsLastLinear"/>), for the fused CPU
    /// path; the 1/avg_num_neighbors normalisation is folded into the mixing layer.</summary>
    private sealed record ChannelsLastLayers(ChannelsLastLinear LinearUp, ChannelsLastLinear Linear, ChannelsLastLinear? SelfConnection, ChannelsLastLinear? MessageMix);

    private ChannelsLastLayers? _channelsLast;

    private ChannelsLastLayers ChannelsLastLayersOf() => _channelsLast ??= new ChannelsLastLayers(
        ChannelsLastLinear.From(LinearUp, stage: "linear up"),
        ChannelsLastLinear.From(Linear, Convolution.IrrepsOut, DensityNet is null ? 1.0 / AvgNumNeighbors : 1.0),
        SelfConnection is { } self ? ChannelsLastLinear.From(self) : null,
        MessageMix is { } mix ? ChannelsLastLinear.From(mix) : null);

    /// <summary>
    /// <see cref="Forward"/> on channels-last node features [N, rows, channels] (<see cref="ChannelsLast"/>), with the
    /// fused CPU convolution, whose input and output are channels-last: no layout change anywhere. Returns the message
    /// and the self-connection channels-last.
    /// </summary>
    public (Tensor Message, Tensor? SelfConnection) ForwardChannelsLast(InteractionInput input)
    {
        var layers = ChannelsLastLayersOf();
        var groups = input.Groups;
        // The up-projection and the self-connection split their nodes over the threads themselves.
        var selfConnection = layers.SelfConnection?.Forward(input.Features, groups);
        var up = layers.LinearUp.Forward(input.Features);
        StageClock.Mark("linear up");
        var tpWeights = RadialWeights(input);
        StageClock.Mark("radial networks");
        var messages = Convolution.ConvolveKernelLayout(up, input.Sh, tpWeights, input.Graph, input.Paired);
        StageClock.Mark("convolution");
        // The mixing layers split their nodes over the threads themselves.
        var normaliser = Normaliser(input);
        var mixed = layers.Linear.Forward(messages);
        if (normaliser is not null) mixed = mixed / normaliser.unsqueeze(2);
        messages = layers.MessageMix is { } mix ? mix.Forward(mixed, groups) : mixed;
        StageClock.Mark("product");
        return (messages, selfConnection);
    }

    /// <summary>The convolution's weights R(r) per edge pair (or edge): the radial network, or its splines.</summary>
    private Tensor RadialWeights(InteractionInput input) =>
        RadialSpline is { } spline ? spline.Forward(input.Lengths) : RadialMlp.Forward(input.Radial);

    /// <summary>Density blocks: 1 + the local density [N, 1] that divides the message; null for the others.</summary>
    private Tensor? Normaliser(InteractionInput input) => DensityNet is { } density ? LocalDensity(density, input) + 1.0 : null;

    /// <summary>ρ_i = Σ_{j→i} tanh(f(R(r_ij))²), f a one-layer network of the radial embedding (which already carries
    /// the cutoff envelope) → [N, 1].</summary>
    private static Tensor LocalDensity(FullyConnectedNet density, InteractionInput input)
    {
        var edgeDensity = tanh(density.Forward(input.Radial).pow(2));
        if (input.Paired) edgeDensity = edgeDensity.index_select(0, input.Graph.EdgePairIndex!);
        return input.Graph.SumOverReceivers(edgeDensity);
    }
}
