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

    /// <summary>What <see cref="ReverseChannelsLast"/> reads of a <see cref="ForwardChannelsLast"/> pass.</summary>
    internal sealed class ChannelsLastRecord
    {
        public required InteractionInput Input { get; init; }
        public required Tensor Up { get; init; }
        public required Tensor Weights { get; init; }
        /// <summary>The radial network's pre-activations (null with splines).</summary>
        public Tensor[]? Hidden { get; init; }
        /// <summary>Density blocks: the mixed message after its division by the normaliser, and the normaliser.</summary>
        public Tensor? Normalised { get; init; }
        public Tensor? Normaliser { get; init; }
    }

    /// <summary>
    /// <see cref="Forward"/> on channels-last node features [N, rows, channels] (<see cref="ChannelsLast"/>) with the
    /// fused CPU convolution, whose input and output are channels-last: no layout change anywhere. No autograd: the
    /// record keeps what <see cref="ReverseChannelsLast"/> needs. <paramref name="normaliser"/>: the density blocks'
    /// <see cref="Normaliser"/>, computed by the caller (it depends on the radial embedding alone). Returns the
    /// message and the self-connection, channels-last.
    /// </summary>
    public (Tensor Message, Tensor? SelfConnection, ChannelsLastRecord Record) ForwardChannelsLast(InteractionInput input, Tensor? normaliser)
    {
        var layers = ChannelsLastLayersOf();
        var groups = input.Groups;
        // Every layer below splits its nodes (or edges) over the threads itself.
        var selfConnection = layers.SelfConnection?.Apply(input.Features, groups);
        var up = layers.LinearUp.Apply(input.Features);
        StageClock.Mark("linear up");
        Tensor[]? hidden = null;
        var weights = RadialSpline is { } spline ? spline.ForwardRecorded(input.Lengths) : RadialMlp.ForwardRecorded(input.Radial, out hidden);
        StageClock.Mark("radial networks");
        var messages = Convolution.ConvolveRecorded(up, input.Sh, weights, input.Graph, input.Paired);
        StageClock.Mark("convolution");
        var mixed = layers.Linear.Apply(messages);
        if (normaliser is not null) mixed = mixed / normaliser.unsqueeze(2);
        var message = layers.MessageMix is { } mix ? mix.Apply(mixed, groups) : mixed;
        StageClock.Mark("product");
        var record = new ChannelsLastRecord
        {
            Input = input, Up = up, Weights = weights, Hidden = hidden,
            Normalised = normaliser is null ? null : mixed, Normaliser = normaliser,
        };
        return (message, selfConnection, record);
    }

    /// <summary>
    /// The reverse of <see cref="ForwardChannelsLast"/>: from ∂L/∂message and ∂L/∂self-connection, the gradients of
    /// the layer's input features (only when <paramref name="featuresGradient"/>: the first layer's input is the
    /// constant embedding), of the harmonics, of the radial embedding (or of the edge lengths, with splines) and of
    /// the normaliser.
    /// </summary>
    public (Tensor? Features, Tensor Sh, Tensor? Radial, Tensor? Lengths, Tensor? Normaliser) ReverseChannelsLast(
        ChannelsLastRecord record, Tensor gMessage, Tensor? gSelfConnection, bool featuresGradient)
    {
        var layers = ChannelsLastLayersOf();
        var input = record.Input;
        var gMixed = layers.MessageMix is { } mix ? mix.ApplyTransposed(gMessage, input.Groups) : gMessage;
        Tensor? gNormaliser = null;
        if (record.Normaliser is { } n)
        {
            // y = m / n per node: ∂L/∂n = −Σ ∂L/∂y · y / n, ∂L/∂m = ∂L/∂y / n.
            gNormaliser = -(gMixed * record.Normalised!).sum(2).sum(1, keepdim: true) / n;
            gMixed = gMixed / n.unsqueeze(2);
        }
        var gMessages = layers.Linear.ApplyTransposed(gMixed);
        StageClock.Mark("reverse: product");
        var (gUp, gSh, gWeights) = Convolution.ConvolveReverse(record.Up, input.Sh, record.Weights, input.Graph, input.Paired, gMessages);
        StageClock.Mark("reverse: convolution");
        Tensor? gRadial = null, gLengths = null;
        if (RadialSpline is { } spline) gLengths = spline.Reverse(input.Lengths, gWeights);
        else gRadial = RadialMlp.Reverse(record.Hidden!, gWeights);
        StageClock.Mark("reverse: radial networks");
        if (!featuresGradient) return (null, gSh, gRadial, gLengths, gNormaliser);
        var gFeatures = layers.LinearUp.ApplyTransposed(gUp);
        if (layers.SelfConnection is { } self && gSelfConnection is not null) gFeatures.add_(self.ApplyTransposed(gSelfConnection, input.Groups));
        StageClock.Mark("reverse: linear up");
        return (gFeatures, gSh, gRadial, gLengths, gNormaliser);
    }

    /// <summary>The convolution's weights R(r) per edge pair (or edge): the radial network, or its splines.</summary>
    private Tensor RadialWeights(InteractionInput input) =>
        RadialSpline is { } spline ? spline.Forward(input.Lengths) : RadialMlp.Forward(input.Radial);

    /// <summary>Density blocks: 1 + the local density [N, 1] that divides the message; null for the others.</summary>
    internal Tensor? Normaliser(InteractionInput input) => DensityNet is { } density ? LocalDensity(density, input) + 1.0 : null;

    /// <summary>ρ_i = Σ_{j→i} tanh(f(R(r_ij))²), f a one-layer network of the radial embedding (which already carries
    /// the cutoff envelope) → [N, 1].</summary>
    private static Tensor LocalDensity(FullyConnectedNet density, InteractionInput input)
    {
        var edgeDensity = tanh(density.Forward(input.Radial).pow(2));
        if (input.Paired) edgeDensity = edgeDensity.index_select(0, input.Graph.EdgePairIndex!);
        return input.Graph.SumOverReceivers(edgeDensity);
    }
}
