using MDEngine.ML.Graphs;
using MDEngine.ML.IO;
using static TorchSharp.torch;

namespace MDEngine.ML.TensorNet;

/// <summary>
/// TensorNet (Simeon and De Fabritiis, "TensorNet: Cartesian Tensor Representations for Efficient Learning of
/// Molecular Potentials", NeurIPS 2023) as matgl implements it (models/_tensornet_pyg.py) inside its potential
/// wrapper (apps/_pes_pyg.py): edges within the cutoff, a smooth spherical Bessel basis and a cosine cutoff, the
/// tensor embedding, the interaction blocks and the gated readout; the energy of atom i is
/// E_i = σ_data·ε_i + μ_data/N + E_ref(Z_i), σ_data, μ_data the training set's statistics and E_ref matgl's per-element
/// reference energies (AtomRef). Forces and stress come from the seam's reverse pass through the edge vectors.
/// </summary>
public sealed class TensorNetModel : EdgeEnergyModel
{
    /// <summary>Weights are constants and an evaluation writes nothing of the model, so batches may split by structure
    /// over the threads. Measured on 64 cells of 8 atoms, two threads: float32 0.63–0.78 s split against 0.87–1.01 s
    /// with torch's own threads (1.22–1.50 s on one); float64 1.79–2.32 s split against 1.22–1.50 s, no faster than one
    /// thread (fresh pages of its larger tensors zeroed on both threads at once) — so float32 only.</summary>
    public override bool EvaluatesGraphsConcurrently => DType == ScalarType.Float32;

    private readonly SmoothBesselBasis _basis;
    private readonly TensorEmbedding _embedding;
    private readonly TensorInteraction[] _blocks;
    private readonly GatedReadout _readout;
    private readonly Tensor _elementReferences;
    private readonly double _dataStd, _dataMean;

    public TensorNetConfig Config { get; }
    public override string Name { get; }
    public override double Cutoff => Config.Cutoff;
    public override IReadOnlyList<int> AtomicNumbers => Config.AtomicNumbers;
    public override ScalarType DType { get; }
    public override Device Device { get; }

    public TensorNetModel(TensorNetConfig config, Dictionary<string, SafeTensor> state, ScalarType dtype, Device device, string name = "TensorNet")
    {
        Config = config;
        Name = name;
        DType = dtype;
        Device = device;
        int elements = config.ElementTypes.Length, units = config.Units, basis = config.RadialBasisSize;
        var w = new TensorNetWeights(state, dtype, device);
        // The published models were created in float32, which rounds the basis prefactors (see SmoothBesselBasis).
        _basis = new SmoothBesselBasis(basis, config.Cutoff, float32Prefactors: config.TrainedDType == "float32");
        _embedding = new TensorEmbedding(w, elements, units, basis);
        _blocks = [.. Enumerable.Range(0, config.Blocks).Select(b => new TensorInteraction(w, b, units, basis, config.ReflectionInvariant))];
        _readout = new GatedReadout(w, units);
        _dataStd = w.Host("data_std").Data[0];
        _dataMean = w.Host("data_mean").Data[0];
        _elementReferences = w.Get("element_refs.property_offset", elements);
        if (state.Keys.FirstOrDefault(k => k.StartsWith($"model.layers.{config.Blocks}.", StringComparison.Ordinal)) is { } extra)
            throw new ModelException($"state.pt holds '{extra}', a block beyond the {config.Blocks} model.json declares");
    }

    public override Tensor NodeEnergies(GraphBatch batch) =>
        Forward(batch.Vectors, batch.Sender, batch.Receiver, batch.Species, batch.NodeStructure, batch.StructureCount,
            EdgePairs.Of(batch.Graph, Device));

    /// <summary>
    /// Atomic energies [N] from the edge vectors v_e = r_receiver − r_sender_image [E, 3] (matgl's bond vector from its
    /// edge's first atom to the second, with the receiver as matgl's second atom), with the stages recorded under
    /// matgl's names in <paramref name="trace"/> when given. <paramref name="pairs"/> groups opposite edges (every edge
    /// alone when null).
    /// </summary>
    public Tensor Forward(Tensor vectors, Tensor sender, Tensor receiver, Tensor species, Tensor nodeStructure, long structures,
        EdgePairs? pairs = null, IDictionary<string, Tensor>? trace = null)
    {
        pairs ??= EdgePairs.Unpaired(vectors.shape[0], vectors.device);
        var distance = vectors.norm(1, keepdim: false);
        var unit = vectors / distance.clamp_min(1e-6).unsqueeze(1);
        // Distance-only quantities once per pair of opposite edges (the pair's first edge carries its gradient).
        var pairDistance = distance.index_select(0, pairs.First);
        var basis = _basis.Evaluate(pairDistance);
        // matgl's cosine cutoff ½(cos(πr/r_c) + 1), zero beyond r_c (utils/cutoff.py).
        var cutoff = where(pairDistance <= Config.Cutoff, 0.5 * (cos(pairDistance * (Math.PI / Config.Cutoff)) + 1), zeros_like(pairDistance));
        Record(trace, "edge_dist", distance);
        Record(trace, "edge_rbf", basis.index_select(0, pairs.Slot));

        var x = _embedding.Forward(species, sender, receiver, unit, basis, cutoff, pairs.Slot);
        Record(trace, "X_embedding", x);
        for (int b = 0; b < _blocks.Length; b++)
        {
            x = _blocks[b].Forward(x, sender, receiver, basis, cutoff, pairs.Slot);
            Record(trace, $"X_layer{b}", x);
        }
        var invariants = _readout.Invariants(x);
        Record(trace, "out_norm_output", invariants);
        var features = _readout.NodeFeatures(invariants);
        Record(trace, "node_feat", features);
        var atomic = _readout.Atomic(features);
        Record(trace, "atomic_nn_raw", atomic);

        var energy = _dataStd * atomic + _elementReferences.index_select(0, species);
        if (_dataMean != 0)
        {
            // μ_data is added once per structure: spread it over the structure's atoms.
            var counts = zeros([structures], DType, Device).index_add_(0, nodeStructure, ones_like(atomic), 1.0);
            energy = energy + _dataMean / counts.index_select(0, nodeStructure);
        }
        Record(trace, "atomic_energy", energy);
        return energy;
    }

    private static void Record(IDictionary<string, Tensor>? trace, string name, Tensor t)
    {
        if (trace is not null) trace[name] = t.detach().clone();
    }
}
