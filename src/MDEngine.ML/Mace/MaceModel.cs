using MDEngine.ML.Kernels;
using MDEngine.ML.E3nn;
using MDEngine.ML.Graphs;
using MDEngine.ML.IO;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// The MACE network (Batatia et al., NeurIPS 2022) as mace-torch's <c>MACE</c>/<c>ScaleShiftMACE</c> builds it:
/// atomic energies from the graph of directed edges sender → receiver whose vectors are r_receiver − r_sender_image.
/// The interaction blocks are those of <see cref="MaceConfig.SupportedInteractions"/> (<see cref="AgnosticInteraction"/>,
/// <see cref="NonLinearInteraction"/>); options: ZBL repulsion, the Agnesi transform, several heads, element-agnostic
/// products, a readout on the last layer only. Stateless between calls; the weights are constants.
/// </summary>
public sealed partial class MaceModel : EdgeEnergyModel
{
    private sealed class Product
    {
        public required ISymmetricContraction[] Contractions;
        public required E3Linear Linear;
        private ChannelsLastLinear? _channelsLast;
        /// <summary>The linear layer on channels-last features (built at first use: call it outside parallel sections).</summary>
        public ChannelsLastLinear LinearChannelsLast => _channelsLast ??= ChannelsLastLinear.From(Linear);
    }

    private sealed class Readout
    {
        public required E3Linear First;
        public E3Linear? Second;
        private ChannelsLastLinear? _channelsLast;
        public ChannelsLastLinear FirstChannelsLast => _channelsLast ??= ChannelsLastLinear.From(First, stage: "readout");
        private ChannelsLastLinear? _secondChannelsLast;
        public ChannelsLastLinear? SecondChannelsLast => Second is null ? null : _secondChannelsLast ??= ChannelsLastLinear.From(Second, stage: "readout");
    }

    private readonly LayerWeight _nodeEmbedding; // [elements, channels]
    private readonly IReadOnlyDictionary<string, Tensor>? _parameters;
    private readonly Tensor _atomicEnergies;   // [elements]
    private readonly RadialBasis _radial;
    private readonly SphericalHarmonicsRows _harmonicsRows;
    private readonly AgnesiTransform? _agnesi;
    private readonly ZblRepulsion? _zbl;
    private readonly Tensor _atomicNumbers;    // [elements] Z of each species index (int64)
    private readonly IInteractionBlock[] _interactions;
    private readonly int _productElements;     // 1 when the product weights are shared by all elements
    private readonly Product[] _products;
    private readonly Readout?[] _readouts;       // null for a layer without a readout
    private readonly SymmetricContractionWeights[][] _contractionWeights;

    public MaceConfig Config { get; }
    public TensorOptions Options { get; }
    public override string Name => "MACE";
    public override double Cutoff => Config.RMax;
    public override IReadOnlyList<int> AtomicNumbers => Config.AtomicNumbers;
    public override ScalarType DType => Options.DType;
    public override Device Device => Options.Device;
    /// <summary>Evaluation (not training): the convolution, the contraction and the radial networks split their work
    /// over the threads.</summary>
    public override bool ParallelisesCpuItself => _parameters is null;
    public Irreps HiddenIrreps { get; }
    public Irreps SphericalHarmonicsIrreps { get; }

    /// <summary>The head whose outputs this model evaluates (an index into <see cref="MaceConfig.Heads"/>).</summary>
    public int Head { get; }

    /// <summary>Intervals of the cubic splines that stand in for the radial networks of the element-agnostic
    /// interactions (<see cref="RadialSpline"/>); null: the exact networks.</summary>
    public int? RadialSplinePoints { get; }

    /// <param name="head">The head of a multi-head model; null: the one mace-torch's calculator would pick.</param>
    /// <param name="radialSplinePoints">Evaluate the radial networks of the element-agnostic interactions as cubic
    /// splines of the edge length with this many intervals on [0, r_max] (approximate, faster; CPU only; refused with
    /// the Agnesi transform, whose basis depends on the pair's elements); null: exactly.</param>
    /// <param name="parameters">Training: the trainable weights by their mace-torch names (leaf tensors that require
    /// grad, in the model's precision and on its device), used in place of the stored values. The model then reads them
    /// at every forward pass and evaluates in the torch formulation (dense contraction, no fused kernels), whose
    /// autograd gives the gradient of the forces with respect to the parameters.</param>
    public MaceModel(MaceConfig config, IReadOnlyDictionary<string, SafeTensor> weights, TensorOptions options, bool denseContraction = false, int? head = null,
        int? radialSplinePoints = null, IReadOnlyDictionary<string, Tensor>? parameters = null)
    {
        Config = config; Options = options; _parameters = parameters; RadialSplinePoints = radialSplinePoints;
        if (radialSplinePoints is int points) CheckSplinesApply(points);
        if (parameters is not null)
        {
            denseContraction = true;
            if (Enumerable.Range(0, config.NumInteractions).FirstOrDefault(i => config.InteractionClass(i) == MaceConfig.NonLinearInteraction, -1) is int nl and >= 0)
                throw new MaceModelException($"interaction {nl} is a {MaceConfig.NonLinearInteraction}: training supports the {string.Join(", ", MaceConfig.SupportedInteractions.Where(c => c != MaceConfig.NonLinearInteraction))} blocks");
            if (parameters.Keys.FirstOrDefault(k => !weights.ContainsKey(k)) is string unknown)
                throw new MaceModelException($"the parameter '{unknown}' is not a weight of this model");
        }
        if (weights.FirstOrDefault(kv => kv.Value.Data.Any(v => !double.IsFinite(v))) is { Key: not null } bad)
            throw new MaceModelException($"the weight '{bad.Key}' holds a NaN or infinite value");
        double[] W(string name) => Weight(weights, name);
        SafeTensor T(string name) => weights.TryGetValue(name, out var t) ? t
            : throw new MaceModelException($"the weights file lacks '{name}'");

        HiddenIrreps = Irreps.Parse(config.HiddenIrreps);
        SphericalHarmonicsIrreps = Irreps.SphericalHarmonics(config.MaxEll);
        if (config.MaxEll > SphericalHarmonics.MaxL) throw new MaceModelException($"max_ell = {config.MaxEll} is not supported (at most {SphericalHarmonics.MaxL})");
        var scalar = new Irrep(0, 1);
        int channels = HiddenIrreps.CountOf(scalar);
        if (HiddenIrreps.Count == 0 || HiddenIrreps[0].Ir != scalar) throw new MaceModelException($"hidden_irreps '{config.HiddenIrreps}' must start with scalars");
        if (HiddenIrreps.Any(m => m.Mul != channels)) throw new MaceModelException($"hidden_irreps '{config.HiddenIrreps}' must have one multiplicity for all irreps");
        int elements = config.AtomicNumbers.Length;
        var nodeIrreps = new Irreps([new MulIrrep(channels, scalar)]);
        var interactionIrreps = new Irreps(SphericalHarmonicsIrreps.Select(m => new MulIrrep(channels, m.Ir))).Sort().Sorted.Simplify();

        // Node embedding: o3.Linear(elements x 0e → channels x 0e) applied to one-hot attributes = a row per element.
        var embedding = W("node_embedding.linear.weight");
        if (embedding.Length != elements * channels) throw new MaceModelException($"node_embedding.linear.weight has {embedding.Length} values, expected {elements * channels}");
        _nodeEmbedding = new LayerWeight(Raw(weights, "node_embedding.linear.weight"), w => w.view(elements, channels) / Math.Sqrt(elements), options);
        Head = head ?? config.HeadIndex(null);
        if (Head < 0 || Head >= config.Heads.Length) throw new MaceModelException($"head {Head} out of range (the model has {config.Heads.Length})");
        _atomicEnergies = options.Make(config.AtomicEnergies.AsSpan(Head * elements, elements).ToArray(), elements);

        _radial = RadialEmbedding(weights, options);
        _harmonicsRows = new SphericalHarmonicsRows(Math.Min(config.MaxEll, SphericalHarmonics.MaxPolynomialL));
        _agnesi = config.DistanceTransform == "Agnesi" ? new AgnesiTransform(weights, "radial_embedding.distance_transform.", options) : null;
        _zbl = config.PairRepulsion ? new ZblRepulsion(weights, "pair_repulsion_fn.", options) : null;
        _atomicNumbers = options.Indices(config.AtomicNumbers);
        if (_radial.Count != config.NumBessel) throw new MaceModelException($"num_bessel = {config.NumBessel} but the model stores {_radial.Count} Bessel frequencies");

        int n = config.NumInteractions;
        _interactions = new IInteractionBlock[n];
        _products = new Product[n];
        _readouts = new Readout?[n];
        _contractionWeights = new SymmetricContractionWeights[n][];
        _productElements = config.UseAgnosticProduct ? 1 : elements;
        for (int i = 0; i < n; i++)
        {
            var inIrreps = i == 0 ? nodeIrreps : HiddenIrreps;
            var outIrreps = i == n - 1 ? new Irreps([HiddenIrreps[0]]) : HiddenIrreps;
            _interactions[i] = config.InteractionClass(i) == MaceConfig.NonLinearInteraction
                ? CreateNonLinearInteraction(i, inIrreps, outIrreps, interactionIrreps, weights, options)
                : CreateAgnosticInteraction(i, inIrreps, outIrreps, interactionIrreps, weights, options);

            string q = $"products.{i}.";
            var contractions = new SymmetricContractionWeights[outIrreps.Count];
            for (int j = 0; j < outIrreps.Count; j++)
            {
                string c = $"{q}symmetric_contractions.contractions.{j}.";
                int corr = config.Correlation[i];
                var u = new double[corr][]; var uShapes = new long[corr][]; var ws = new double[corr][];
                for (int nu = 1; nu <= corr; nu++)
                {
                    var ut = T($"{c}U_matrix_{nu}");
                    u[nu - 1] = ut.Data; uShapes[nu - 1] = ut.Shape;
                    var wt = T(ContractionWeightName(c, nu, corr));
                    ws[nu - 1] = wt.Data;
                    if (wt.Shape[0] != _productElements || wt.Shape[2] != channels || wt.Shape[1] != ut.Shape[^1])
                        throw new MaceModelException($"{c}: weights of order {nu} have shape [{string.Join(", ", wt.Shape)}], expected [{_productElements}, {ut.Shape[^1]}, {channels}]");
                }
                contractions[j] = new SymmetricContractionWeights(outIrreps[j].Ir.L, SphericalHarmonicsIrreps.Dim, channels, _productElements, u, uShapes, ws);
            }
            _contractionWeights[i] = contractions;
            _products[i] = new Product
            {
                Contractions = denseContraction
                    ? contractions.Select((c, j) => (ISymmetricContraction)new DenseSymmetricContraction(c,
                        Enumerable.Range(1, c.Correlation).Select(nu => Raw(weights, ContractionWeightName($"{q}symmetric_contractions.contractions.{j}.", nu, c.Correlation))).ToArray(), options)).ToArray()
                    : [new SparseSymmetricContraction(contractions, options)],
                Linear = new E3Linear(outIrreps, outIrreps, Raw(weights, $"{q}linear.weight"), options),
            };

            if (config.UseLastReadoutOnly && i < n - 1) continue;
            string r = $"readouts.{(config.UseLastReadoutOnly ? 0 : i)}.";
            var energyIrreps = Irreps.Parse($"{config.Heads.Length}x0e"); // one output per head
            _readouts[i] = i < n - 1
                ? new Readout { First = new E3Linear(HiddenIrreps, energyIrreps, Raw(weights, $"{r}linear.weight"), options) }
                : new Readout
                {
                    First = new E3Linear(outIrreps, Irreps.Parse(config.MlpIrreps), Raw(weights, $"{r}linear_1.weight"), options),
                    Second = new E3Linear(Irreps.Parse(config.MlpIrreps), energyIrreps, Raw(weights, $"{r}linear_2.weight"), options),
                };
        }
    }

    internal SymmetricContractionWeights[][] ContractionWeights => _contractionWeights;

    /// <summary>Splines stand in for R(r) only where R is a function of the edge length alone and the weights are
    /// constants.</summary>
    private void CheckSplinesApply(int points)
    {
        if (points < MaceOptions.MinimumRadialSplinePoints)
            throw new MaceModelException($"radial_spline={points}: at least {MaceOptions.MinimumRadialSplinePoints} intervals are needed");
        if (_parameters is not null)
            throw new MaceModelException("radial_spline: training needs the exact radial networks (the splines are tables of fixed weights)");
        if (Config.DistanceTransform is not null)
            throw new MaceModelException($"radial_spline: this model's radial basis applies the {Config.DistanceTransform} distance transform, which depends on the elements of each pair, so its radial networks are not functions of the edge length alone and cannot be splined; use the exact networks");
        if (Options.Device.type != TorchSharp.DeviceType.CPU)
            throw new MaceModelException($"radial_spline: the splined radial networks run on the CPU only, not on {Options.Device}");
    }

    /// <summary>The Bessel × polynomial-envelope embedding of the edge lengths, its frequencies as stored (trained
    /// models) or the standard ones.</summary>
    private RadialBasis RadialEmbedding(IReadOnlyDictionary<string, SafeTensor> weights, TensorOptions options) =>
        weights.TryGetValue("radial_embedding.bessel_fn.bessel_weights", out var bessel)
            ? new RadialBasis(bessel.Data, Weight(weights, "radial_embedding.bessel_fn.prefactor")[0], Config.RMax, Config.NumPolynomialCutoff, options)
            : RadialBasis.Standard(Config.NumBessel, Config.RMax, Config.NumPolynomialCutoff, options);

    /// <summary>Energy of every atom of a batch (the graph's species indices are the model's element indices).</summary>
    public override Tensor NodeEnergies(GraphBatch batch)
    {
        var (layout, groups) = GraphOf(batch);
        return NodeEnergies(batch.Vectors, layout, batch.Species, groups);
    }

    /// <summary>The batch's slot table (with its reverse edges; <paramref name="hostOnly"/>: for the CPU kernels alone)
    /// and its nodes grouped by element.</summary>
    private (EdgeLayout Layout, ElementGroups Groups) GraphOf(GraphBatch batch, bool hostOnly = false) =>
        (new EdgeLayout(batch.NodeCount, batch.Graph.Sender, batch.Graph.Receiver, batch.Graph.ReverseEdges(), Device, hostOnly),
         ElementGroups.From(batch.Graph.Species.Select(e => (int)e).ToArray(), Device));

    /// <summary>The elements the product layers see, and their groups: element-agnostic products see every node as
    /// the one element 0.</summary>
    private (Tensor Elements, ElementGroups Groups) ProductElements(Tensor elements, ElementGroups groups) =>
        _productElements == 1 && Config.AtomicNumbers.Length > 1
            ? (zeros_like(elements), ElementGroups.From(new int[elements.shape[0]], elements.device))
            : (elements, groups);

    /// <summary>
    /// Energy of every atom (eV): E0(element) + scale·Σ_layers readout + shift.
    /// vectors [E, 3] (Å, edge sender → receiver image), sender/receiver [E], elements [N] (indices into the model's
    /// element list). <paramref name="record"/> receives the intermediate arrays when given.
    /// </summary>
    public Tensor NodeEnergies(Tensor vectors, Tensor sender, Tensor receiver, Tensor elements, ElementGroups groups,
        IDictionary<string, Tensor>? record = null) =>
        NodeEnergies(vectors, new EdgeLayout(elements.shape[0], sender.cpu().data<long>().ToArray(), receiver.cpu().data<long>().ToArray(), null, vectors.device),
            elements, groups, record);

    /// <summary>As above, the graph given as its slot table (with reverse edges, the adjoints need no scatter-add).</summary>
    public Tensor NodeEnergies(Tensor vectors, EdgeLayout graph, Tensor elements, ElementGroups groups,
        IDictionary<string, Tensor>? record = null)
    {
        long nodes = elements.shape[0];
        StageClock.Mark("graph");
        // Evaluating on the CPU, the harmonics and the radial basis are row functions: one pass per edge for each, forward
        // and reverse, split over the threads, instead of a torch operation per term of their formulas.
        bool rowKernels = record is null && RowKernelsServe(vectors);
        var lengths = vectors.norm(1, keepdim: true);
        var sh = rowKernels && Config.MaxEll <= SphericalHarmonics.MaxPolynomialL
            ? _harmonicsRows.Apply(vectors)
            : SphericalHarmonics.Compute(vectors, Config.MaxEll);
        // An edge and its reverse have the same length: the radial embedding and networks are evaluated once per
        // pair when the graph pairs its edges (not when intermediates are recorded, which are per edge).
        bool paired = graph.PairRepresentatives is not null && record is null;
        var radialLengths = paired ? lengths.index_select(0, graph.PairRepresentatives!) : lengths;
        Tensor? nodeZ = _agnesi is not null || _zbl is not null ? _atomicNumbers.index_select(0, elements) : null;
        Tensor radial;
        if (_agnesi is not null)
        {
            // The transform is symmetric in the pair, so one edge of each pair stands for both, as for the radial networks.
            var senders = paired ? graph.Sender.index_select(0, graph.PairRepresentatives!) : graph.Sender;
            var receivers = paired ? graph.Receiver.index_select(0, graph.PairRepresentatives!) : graph.Receiver;
            radial = _radial.Forward(_agnesi.Forward(radialLengths, nodeZ!.index_select(0, senders), nodeZ!.index_select(0, receivers)), radialLengths);
        }
        else radial = rowKernels ? _radial.Rows().Apply(radialLengths) : _radial.Forward(radialLengths);
        StageClock.Mark("spherical harmonics, radial basis");
        var features = _nodeEmbedding.Value.index_select(0, elements);
        if (record is not null) { record["node_embedding"] = features; record["spherical_harmonics"] = sh; record["radial_embedding"] = radial; }

        var (productElements, productGroups) = ProductElements(elements, groups);
        // ZBL repulsion joins the interaction energies before the scale and shift, as in mace-torch.
        Tensor? energy = _zbl?.NodeEnergies(lengths, nodeZ!.index_select(0, graph.Sender), nodeZ!.index_select(0, graph.Receiver), graph).unsqueeze(1);
        if (record is null && UsesChannelsLast(features))
        {
            var interactions = ChannelsLastLayers(features, elements, groups, productGroups, sh, radial, radialLengths, graph, paired);
            energy = energy is null ? interactions : energy + interactions;
        }
        else for (int i = 0; i < _interactions.Length; i++)
        {
            var block = _interactions[i];
            var (messages, selfConnection) = block.Forward(new InteractionInput(features, elements, groups, sh, radial, radialLengths, graph, paired));
            var product = _products[i];
            // The product block is per node: split over the threads (intermediates are recorded from one piece).
            Tensor Product(Tensor[] rows, int start, int length)
            {
                var channelsFirst = ToChannels(rows[0], block.Target);                   // [n, channels, Σ(2l+1)]
                if (record is not null) record[$"interactions.{i}"] = channelsFirst;
                var rangeGroups = productGroups.Range(start, length);
                var channelsLast = channelsFirst.transpose(1, 2).contiguous();
                var basis = product.Contractions.Length == 1
                    ? Contract(product.Contractions[0], channelsFirst, channelsLast, rows[1], rangeGroups)
                    : cat(product.Contractions.Select(c => Contract(c, channelsFirst, channelsLast, rows[1], rangeGroups)).ToArray(), 1);
                return rows.Length == 2 ? product.Linear.Forward(basis) : product.Linear.Forward(basis) + rows[2];
            }
            features = record is not null ? Product(selfConnection is null ? [messages, productElements] : [messages, productElements, selfConnection], 0, (int)nodes)
                : RowParallel.Apply("product", Product, selfConnection is null ? [messages, productElements] : [messages, productElements, selfConnection]);
            if (record is not null) record[$"products.{i}"] = features;

            StageClock.Mark("product");
            if (_readouts[i] is not { } readoutBlock) continue;
            var readout = ReadoutHead(readoutBlock, readoutBlock.First.Forward(features));
            if (record is not null) record[$"readouts.{i}"] = readout;
            energy = energy is null ? readout : energy + readout;
            StageClock.Mark("readout");
        }
        return AtomEnergies(elements, energy!);
    }

    /// <summary>The row kernels of the harmonics and the radial basis serve these edge vectors: evaluation (constant
    /// weights), on the CPU, in float32 or float64.</summary>
    private bool RowKernelsServe(Tensor vectors) =>
        _parameters is null && vectors.device_type == TorchSharp.DeviceType.CPU && vectors.dtype is ScalarType.Float32 or ScalarType.Float64;

    /// <summary>E0(element) + scale·(the layers' energy [N, 1]) + shift: [N].</summary>
    private Tensor AtomEnergies(Tensor elements, Tensor interactions) =>
        _atomicEnergies.index_select(0, elements) + Config.Scale[Head] * interactions.squeeze(1) + Config.Shift[Head];

    /// <summary>The readout of a layer from its first linear layer's output [N, width]: the non-linear readout's second
    /// layer, then the model's head → [N, 1].</summary>
    private Tensor ReadoutHead(Readout block, Tensor first)
    {
        var readout = block.Second is E3Linear second ? second.Forward(MaskOtherHeads(FullyConnectedNet.NormalizedSilu(first))) : first;
        return SelectHead(readout);
    }

    /// <summary>The evaluated head's column [N, 1] of a readout's outputs [N, heads].</summary>
    private Tensor SelectHead(Tensor readout) => Config.Heads.Length > 1 ? readout.narrow(1, Head, 1) : readout;

    private AgnosticInteraction CreateAgnosticInteraction(int i, Irreps inIrreps, Irreps outIrreps, Irreps interactionIrreps,
        IReadOnlyDictionary<string, SafeTensor> weights, TensorOptions options)
    {
        string p = $"interactions.{i}.";
        string cls = Config.InteractionClass(i);
        int elements = Config.AtomicNumbers.Length;
        var conv = new TensorProductUvu(inIrreps, SphericalHarmonicsIrreps, interactionIrreps, StoredWigner3j(weights, p), options, fusedKernel: _parameters is null);
        var mlp = RadialNet(weights, $"{p}conv_tp_weights.", options);
        if (mlp.InputSize != Config.NumBessel || mlp.OutputSize != conv.WeightCount)
            throw new MaceModelException($"{p}conv_tp_weights maps {mlp.InputSize} → {mlp.OutputSize}, the architecture needs {Config.NumBessel} → {conv.WeightCount}");
        bool residual = MaceConfig.IsResidual(cls);
        return new AgnosticInteraction
        {
            LinearUp = new E3Linear(inIrreps, inIrreps, Raw(weights, $"{p}linear_up.weight"), options),
            Convolution = conv,
            RadialMlp = mlp,
            RadialSpline = RadialSplinePoints is int points ? SplineRadialNet(weights, $"{p}conv_tp_weights.", points, options) : null,
            DensityNet = MaceConfig.NormalisesByDensity(cls) ? DensityNet(weights, $"{p}density_fn.", Config.NumBessel, options) : null,
            Linear = new E3Linear(conv.IrrepsOut.Simplify(), interactionIrreps, Raw(weights, $"{p}linear.weight"), options),
            SelfConnection = residual ? new ScalarTensorProduct(inIrreps, elements, outIrreps, Raw(weights, $"{p}skip_tp.weight"), options) : null,
            MessageMix = residual ? null : new ScalarTensorProduct(interactionIrreps, elements, interactionIrreps, Raw(weights, $"{p}skip_tp.weight"), options),
            AvgNumNeighbors = Config.AvgNumNeighbors,
            Target = interactionIrreps,
        };
    }

    private NonLinearInteraction CreateNonLinearInteraction(int i, Irreps inIrreps, Irreps outIrreps, Irreps interactionIrreps,
        IReadOnlyDictionary<string, SafeTensor> weights, TensorOptions options)
    {
        string p = $"interactions.{i}.";
        int elements = Config.AtomicNumbers.Length, channels = inIrreps.CountOf(new Irrep(0, 1));
        var edgeIrreps = Config.EdgeIrreps is null ? inIrreps
            : i == 0 ? (Config.UseEdgeIrrepsFirst ? Irreps.Parse($"{Irreps.Parse(Config.EdgeIrreps).CountOf(new Irrep(0, 1))}x0e") : inIrreps)
            : Irreps.Parse(Config.EdgeIrreps);
        var conv = new TensorProductUvu(edgeIrreps, SphericalHarmonicsIrreps, interactionIrreps, StoredWigner3j(weights, p), options);
        // e3nn's Gate over the target: its scalars through SiLU, every higher irrep gated by its own sigmoid scalars.
        var scalars = new Irreps(interactionIrreps.Where(m => m.Ir.L == 0));
        var gated = new Irreps(interactionIrreps.Where(m => m.Ir.L > 0));
        var gates = new Irreps(gated.Select(m => new MulIrrep(m.Mul, new Irrep(0, 1))));
        double silu = Weight(weights, $"{p}equivariant_nonlin.act_scalars.acts.0.cst")[0];
        double sigmoid = gated.Count > 0 ? Weight(weights, $"{p}equivariant_nonlin.act_gates.acts.0.cst")[0] : 1.0;
        var gate = new Gate(scalars, scalars.Select(_ => (Func<Tensor, Tensor>)(x => silu * nn.functional.silu(x))).ToArray(),
            gates, gates.Select(_ => (Func<Tensor, Tensor>)(x => sigmoid * nn.functional.sigmoid(x))).ToArray(), gated);
        var nonlinearIrreps = gate.IrrepsIn;
        Tensor Embedding(string name) => options.Make(Weight(weights, $"{p}{name}.weight").Select(v => v / Math.Sqrt(elements)).ToArray(), elements, channels);
        return new NonLinearInteraction
        {
            SelfConnection = new E3Linear(inIrreps, outIrreps, Weight(weights, $"{p}skip_tp.weight"), options),
            LinearUp = new E3Linear(inIrreps, edgeIrreps, Weight(weights, $"{p}linear_up.weight"), options),
            LinearResidual = new E3Linear(edgeIrreps, nonlinearIrreps, Weight(weights, $"{p}linear_res.weight"), options),
            SourceEmbedding = Embedding("source_embedding"),
            TargetEmbedding = Embedding("target_embedding"),
            RadialMlp = new LayerNormMlp(weights, $"{p}conv_tp_weights.", options),
            DensityMlp = new LayerNormMlp(weights, $"{p}density_fn.", options),
            Convolution = conv,
            Linear1 = new E3Linear(conv.IrrepsOut.Simplify(), nonlinearIrreps, Weight(weights, $"{p}linear_1.weight"), options),
            Nonlinearity = gate,
            Linear2 = new E3Linear(interactionIrreps, interactionIrreps, Weight(weights, $"{p}linear_2.weight"), options),
            Alpha = Weight(weights, $"{p}alpha")[0],
            Beta = Weight(weights, $"{p}beta")[0],
            Target = interactionIrreps,
        };
    }

    private static double[] Weight(IReadOnlyDictionary<string, SafeTensor> weights, string name) =>
        weights.TryGetValue(name, out var t) ? t.Data : throw new MaceModelException($"the weights file lacks '{name}'");

    /// <summary>A weight a layer derives its own from: the trainable parameter of that name when training, else the
    /// stored values as a float64 host tensor.</summary>
    private Tensor Raw(IReadOnlyDictionary<string, SafeTensor> weights, string name) =>
        _parameters is not null && _parameters.TryGetValue(name, out var p) ? p : TensorOptions.Raw(Weight(weights, name));

    /// <summary>mace-torch's name of the order-ν weights of a contraction: weights_max for the highest order, then
    /// weights.0 for ν_max − 1 down to weights.{ν_max − 2} for ν = 1.</summary>
    internal static string ContractionWeightName(string prefix, int nu, int correlation) =>
        nu == correlation ? $"{prefix}weights_max" : $"{prefix}weights.{correlation - 1 - nu}";

    /// <summary>The Wigner 3j blocks e3nn stored with the layer's convolution (their phase depends on e3nn's version).</summary>
    private static Wigner3j StoredWigner3j(IReadOnlyDictionary<string, SafeTensor> weights, string prefix) =>
        new((l1, l2, l3) => weights.TryGetValue($"{prefix}conv_tp._compiled_main_left_right._w3j_{l1}_{l2}_{l3}", out var t) ? t.Data : null);

    private FullyConnectedNet RadialNet(IReadOnlyDictionary<string, SafeTensor> weights, string prefix, TensorOptions options)
    {
        var layers = new List<(Tensor, int, int)>();
        for (int k = 0; weights.TryGetValue($"{prefix}layer{k}.weight", out var t); k++) layers.Add((Raw(weights, $"{prefix}layer{k}.weight"), (int)t.Shape[0], (int)t.Shape[1]));
        if (layers.Count == 0) throw new MaceModelException($"the weights file lacks '{prefix}layer0.weight'");
        return new FullyConnectedNet(layers, options);
    }

    /// <summary>R(r) = MLP(radial_embedding(r)) of one interaction as splines, built from float64 copies of the
    /// embedding and the network.</summary>
    private RadialSpline SplineRadialNet(IReadOnlyDictionary<string, SafeTensor> weights, string prefix, int intervals, TensorOptions options)
    {
        var exact = TensorOptions.CpuFloat64;
        var embedding = RadialEmbedding(weights, exact);
        var mlp = RadialNet(weights, prefix, exact);
        return new RadialSpline(r => mlp.Forward(embedding.Forward(r)), Config.RMax, intervals, options.DType);
    }

    private FullyConnectedNet DensityNet(IReadOnlyDictionary<string, SafeTensor> weights, string prefix, int inputs, TensorOptions options)
    {
        var net = RadialNet(weights, prefix, options);
        if (net.InputSize != inputs || net.OutputSize != 1) throw new MaceModelException($"{prefix} maps {net.InputSize} → {net.OutputSize}, expected {inputs} → 1");
        return net;
    }

    /// <summary>A multi-head non-linear readout's hidden features are one block per head (mace-torch's mask_head): only
    /// the selected head's block feeds its output.</summary>
    private Tensor MaskOtherHeads(Tensor hidden) => HeadMask(hidden) is { } mask ? hidden * mask : hidden;

    /// <summary>The mask of <see cref="MaskOtherHeads"/> for hidden features [N, width] (null with one head).</summary>
    private Tensor? HeadMask(Tensor hidden)
    {
        int heads = Config.Heads.Length;
        if (heads == 1) return null;
        long width = hidden.shape[1] / heads;
        var mask = zeros(hidden.shape[1], dtype: hidden.dtype, device: hidden.device);
        mask.narrow(0, Head * width, width).fill_(1.0);
        return mask;
    }

    private static Tensor Contract(ISymmetricContraction c, Tensor x, Tensor xChannelsLast, Tensor elements, ElementGroups groups) =>
        c is SparseSymmetricContraction sparse ? sparse.ForwardChannelsLast(xChannelsLast, groups) : c.Forward(x, elements);

    /// <summary>e3nn layout [N, Σ mul·(2l+1)] → [N, mul, Σ(2l+1)] (mace-torch's reshape_irreps).</summary>
    private static Tensor ToChannels(Tensor x, Irreps irreps)
    {
        long n = x.shape[0];
        var blocks = irreps.Blocks(x);
        return cat(irreps.Select((m, k) => blocks[k].view(n, m.Mul, m.Ir.Dim)).ToArray(), 2);
    }
}
