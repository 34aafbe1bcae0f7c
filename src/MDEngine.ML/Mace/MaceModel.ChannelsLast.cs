using MDEngine.ML.E3nn;
using MDEngine.ML.Graphs;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// The interaction and product layers of <see cref="MaceModel"/> on channels-last features, with their readouts, as one
/// autograd node whose reverse pass is written out. Each CPU kernel (the channel mixes, the radial networks or their
/// splines, the convolution, the symmetric contraction) is called directly, forward and reverse, in the order the
/// chain rule gives: torch's autograd sees one operation where it would see some twenty custom nodes and as many
/// tensor operations per layer stack. Each of those costs tens of microseconds of bookkeeping on the calling thread
/// (node creation, output wrapping, saved tensors, the engine's dispatch) while the other threads wait: at 64 atoms the
/// serial time between the kernels fell from 2.4 to 1.7 ms of an 18–19 ms evaluation on two threads.
/// </summary>
public sealed partial class MaceModel
{
    /// <summary>The fused CPU kernels run with channels-last features from layer to layer (no layout changes) when
    /// every interaction is element-agnostic, the products are the sparse contraction and the weights are constants.</summary>
    private bool UsesChannelsLast(Tensor nodeFeatures) =>
        _parameters is null
        && _interactions.All(b => b is AgnosticInteraction a && a.Convolution.UsesKernel(nodeFeatures))
        && _products.All(p => p.Contractions is [SparseSymmetricContraction]);

    /// <summary>
    /// The interaction and product layers with channels-last features [N, Σ(2l+1), channels]
    /// (<see cref="ChannelsLast"/>): the same operations as the layer loop of <see cref="NodeEnergies(Tensor, EdgeLayout, Tensor, ElementGroups, IDictionary{string, Tensor}?)"/>
    /// with <see cref="ChannelsLastLinear"/> layers, the convolution and contraction kernels reading and writing that
    /// layout directly. Returns the readouts' sum [N, 1], differentiable with respect to the harmonics, the radial
    /// embedding, the edge lengths and (density blocks) the normalisers, which stay torch operations.
    /// </summary>
    private Tensor ChannelsLastLayers(Tensor embedding, Tensor elements, ElementGroups groups, ElementGroups productGroups, Tensor sh, Tensor radial, Tensor radialLengths, EdgeLayout graph, bool paired)
    {
        var pass = new ChannelsLastPass(this, embedding, elements, groups, productGroups, graph, paired);
        var normalisers = _interactions.Select(b => ((AgnosticInteraction)b).Normaliser(pass.Input(embedding, sh, radial, radialLengths))).ToArray();
        return ChannelsLastStackFunction.apply([sh, radial, radialLengths, .. normalisers, pass]);
    }

    /// <summary>vars: the harmonics, the radial embedding, the edge lengths, one normaliser (or null) per layer, and the
    /// <see cref="ChannelsLastPass"/> that runs the layers and keeps what their reverse reads.</summary>
    private sealed class ChannelsLastStackFunction : autograd.SingleTensorFunction<ChannelsLastStackFunction>
    {
        public override string Name => "MaceChannelsLastLayers";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var pass = (ChannelsLastPass)vars[^1];
            ctx.save_data("pass", pass);
            using var noGrad = no_grad();
            return pass.Forward((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], vars[3..^1].Select(v => v as Tensor).ToArray());
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var pass = (ChannelsLastPass)ctx.get_data("pass");
            StageClock.Mark("reverse: other");
            using var noGrad = no_grad();
            var (sh, radial, lengths, normalisers) = pass.Reverse(gradOutput);
            return [sh!, radial!, lengths!, .. normalisers.Select(n => n!), null!];
        }
    }

    /// <summary>One evaluation of the channels-last layers: the inputs that are not differentiated (the embedding, the
    /// elements, the graph), and what the forward pass keeps for the reverse one.</summary>
    private sealed class ChannelsLastPass(MaceModel model, Tensor embedding, Tensor elements, ElementGroups groups, ElementGroups productGroups, EdgeLayout graph, bool paired)
    {
        private readonly List<LayerRecord> _layers = [];

        private sealed record LayerRecord(AgnosticInteraction.ChannelsLastRecord Interaction, Tensor Message, bool Residual, ReadoutRecord? Readout);

        /// <summary>A readout's first layer output (and, for a non-linear readout, the hidden features' mask).</summary>
        private sealed record ReadoutRecord(Tensor First, Tensor? Mask);

        public InteractionInput Input(Tensor features, Tensor sh, Tensor radial, Tensor radialLengths) =>
            new(features, elements, groups, sh, radial, radialLengths, graph, paired);

        /// <summary>The readouts' sum [N, 1].</summary>
        public Tensor Forward(Tensor sh, Tensor radial, Tensor radialLengths, Tensor?[] normalisers)
        {
            long nodes = elements.shape[0];
            var features = embedding.view(nodes, 1, -1);  // scalars only: one row
            Tensor? energy = null;
            for (int i = 0; i < model._interactions.Length; i++)
            {
                var block = (AgnosticInteraction)model._interactions[i];
                var (message, selfConnection, record) = block.ForwardChannelsLast(Input(features, sh, radial, radialLengths), normalisers[i]);
                var product = model._products[i];
                message = message.contiguous();
                // The contraction and the linear layer split their nodes over the threads themselves.
                var mixed = product.LinearChannelsLast.Apply(((SparseSymmetricContraction)product.Contractions[0]).ForwardRecorded(message, productGroups));
                features = selfConnection is null ? mixed : mixed.add_(selfConnection);
                StageClock.Mark("product");
                ReadoutRecord? readoutRecord = null;
                if (model._readouts[i] is { } readout)
                {
                    var (value, kept) = ReadoutForward(readout, features, nodes);
                    energy = energy is null ? value : energy + value;
                    readoutRecord = kept;
                    StageClock.Mark("readout");
                }
                _layers.Add(new LayerRecord(record, message, selfConnection is not null, readoutRecord));
            }
            return energy!;
        }

        /// <summary>∂L/∂ of the harmonics, the radial embedding, the edge lengths and each layer's normaliser from
        /// ∂L/∂(the readouts' sum) [N, 1]; null where nothing depends on one.</summary>
        public (Tensor? Sh, Tensor? Radial, Tensor? Lengths, Tensor?[] Normalisers) Reverse(Tensor gEnergy)
        {
            long nodes = elements.shape[0];
            Tensor? gSh = null, gRadial = null, gLengths = null, gFeatures = null;
            var gNormalisers = new Tensor?[_layers.Count];
            for (int i = _layers.Count - 1; i >= 0; i--)
            {
                var layer = _layers[i];
                var block = (AgnosticInteraction)model._interactions[i];
                var product = model._products[i];
                // ∂L/∂(this layer's output features): from the next layer and from this layer's readout.
                if (layer.Readout is { } kept)
                {
                    var fromReadout = ReadoutReverse(model._readouts[i]!, kept, gEnergy, nodes);
                    gFeatures = gFeatures is null ? fromReadout : gFeatures.add_(fromReadout);
                    StageClock.Mark("reverse: readout");
                }
                var gContraction = product.LinearChannelsLast.ApplyTransposed(gFeatures!);
                var gMessage = ((SparseSymmetricContraction)product.Contractions[0]).Reverse(layer.Message, productGroups, gContraction);
                var (gInput, sh, radial, lengths, normaliser) = block.ReverseChannelsLast(layer.Interaction, gMessage, layer.Residual ? gFeatures : null, featuresGradient: i > 0);
                gFeatures = gInput;
                gSh = Add(gSh, sh); gRadial = Add(gRadial, radial); gLengths = Add(gLengths, lengths);
                gNormalisers[i] = normaliser;
            }
            return (gSh, gRadial, gLengths, gNormalisers);
        }

        private static Tensor? Add(Tensor? sum, Tensor? term) => term is null ? sum : sum is null ? term : sum.add_(term);

        /// <summary>A layer's readout [N, 1] of its output features, and what its reverse reads.</summary>
        private (Tensor Energy, ReadoutRecord Record) ReadoutForward(Readout block, Tensor features, long nodes)
        {
            var first = block.FirstChannelsLast.Apply(features).view(nodes, -1);
            if (block.SecondChannelsLast is not { } second) return (model.SelectHead(first), new ReadoutRecord(first, null));
            var hidden = FullyConnectedNet.NormalizedSiluRecorded(first);
            var mask = model.HeadMask(hidden);
            if (mask is not null) hidden = hidden * mask;
            var output = second.Apply(hidden.view(nodes, 1, -1)).view(nodes, -1);
            return (model.SelectHead(output), new ReadoutRecord(first, mask));
        }

        /// <summary>∂L/∂(the layer's output features) [N, rows, channels] from ∂L/∂(its readout) [N, 1].</summary>
        private Tensor ReadoutReverse(Readout block, ReadoutRecord record, Tensor gEnergy, long nodes)
        {
            int heads = model.Config.Heads.Length;
            var gOutput = gEnergy;
            if (heads > 1)
            {
                gOutput = zeros(nodes, heads, dtype: gEnergy.dtype, device: gEnergy.device);
                gOutput.narrow(1, model.Head, 1).copy_(gEnergy);
            }
            var gFirst = gOutput;
            if (block.SecondChannelsLast is { } second)
            {
                var gHidden = second.ApplyTransposed(gOutput.view(nodes, 1, -1)).view(nodes, -1);
                if (record.Mask is { } mask) gHidden = gHidden * mask;
                gFirst = FullyConnectedNet.NormalizedSiluReverse(record.First, gHidden);
            }
            return block.FirstChannelsLast.ApplyTransposed(gFirst.view(nodes, 1, -1));
        }
    }
}
