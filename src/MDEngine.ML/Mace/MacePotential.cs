using MDEngine.Geometry;
using MDEngine.ML.E3nn;
using MDEngine.ML.IO;
using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// A MACE model (mace-torch's ScaleShiftMACE) as an interatomic potential. Energy from the network; forces
/// F = −∂E/∂r and stress σ = (1/V) ∂E/∂ε (ASE's sign) from one reverse-mode pass through the edge vectors
/// v_e = r_receiver − r_sender (image): with g_e = ∂E/∂v_e, F_sender += g_e and F_receiver −= g_e; a homogeneous
/// strain maps every edge vector to v(1+ε) (positions and cell strained alike), so ∂E/∂ε_ab = Σ_e v_ea g_eb.
/// A batch of structures is evaluated as one disconnected graph.
/// </summary>
public sealed class MacePotential : Potential
{
    private readonly MaceModel _model;
    private readonly Device _device;
    private readonly Dictionary<int, int> _elementIndex;
    private readonly HashSet<int> _elements;

    public MaceConfig Config => _model.Config;
    public MaceModel Model => _model;
    public override string Name { get; }
    public override double Cutoff => _model.Config.RMax;
    public override IReadOnlySet<int>? Elements => _elements;
    public override bool NeedsFullNeighborList => true;
    public ScalarType DType => _model.Options.DType;
    public Device Device => _device;

    public MacePotential(MaceModel model, string name = "MACE")
    {
        _model = model;
        _device = model.Options.Device;
        Name = name;
        _elementIndex = model.Config.AtomicNumbers.Select((z, i) => (z, i)).ToDictionary(t => t.z, t => t.i);
        _elements = [.. model.Config.AtomicNumbers];
    }

    /// <summary>
    /// Loads a model written by tools/mace_export.py: the hyperparameters (JSON) and, next to it with the same name
    /// and the extension .safetensors (or as named by the JSON key "weights"), the state_dict.
    /// </summary>
    public static MacePotential Load(string modelJsonPath, MaceOptions? options = null)
    {
        options ??= new MaceOptions();
        if (options.Threads is int threads)
        {
            if (threads < 1) throw new MaceModelException($"threads must be at least 1, not {threads}");
            set_num_threads(threads);
        }
        if (!File.Exists(modelJsonPath)) throw new FileNotFoundException($"MACE model file not found: {modelJsonPath}", modelJsonPath);
        var config = MaceConfig.Load(modelJsonPath);
        string weightsPath = WeightsPath(modelJsonPath);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"MACE weights file not found: {weightsPath}", weightsPath);
        var weights = SafeTensors.Read(weightsPath);
        var device = options.ResolveDevice();
        if (options.KeepFreedMemory && device.type == DeviceType.CPU) NativeHeap.KeepFreedMemory();
        var model = new MaceModel(config, weights, new TensorOptions(options.DType, device), options.DenseContraction);
        return new MacePotential(model, $"MACE {Path.GetFileNameWithoutExtension(modelJsonPath)}");
    }

    private static string WeightsPath(string modelJsonPath)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(modelJsonPath));
        string? named = node?["weights"]?.GetValue<string>();
        string dir = Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!;
        return named is not null ? Path.Combine(dir, named) : Path.ChangeExtension(modelJsonPath, ".safetensors");
    }

    public override PotentialResult Compute(Structure structure, NeighborList neighbors, Quantities what) =>
        ComputeBatch([structure], [neighbors], what)[0];

    public override PotentialResult[] ComputeBatch(IReadOnlyList<Structure> structures, IReadOnlyList<NeighborList> neighbors, Quantities what)
    {
        if (structures.Count != neighbors.Count) throw new ArgumentException("one neighbor list per structure is needed");
        foreach (var s in structures) CheckCovers(s);
        var graph = Graph.Build(structures, neighbors, Cutoff, _elementIndex);
        bool needGradient = (what & (Quantities.Forces | Quantities.Stress)) != 0;

        using var scope = NewDisposeScope();
        using var gradMode = needGradient ? enable_grad() : no_grad();
        var vectors = tensor(graph.Vectors, [graph.EdgeCount, 3], ScalarType.Float64).to(DType, _device);
        if (needGradient) vectors.requires_grad_(true);
        var layout = new EdgeLayout(graph.Elements.LongLength, graph.Sender, graph.Receiver, graph.ReverseEdges(), _device);
        var elements = tensor(graph.Elements, [graph.Elements.LongLength], ScalarType.Int64).to(_device);
        var groups = ElementGroups.From(graph.Elements.Select(e => (int)e).ToArray(), _device);

        var nodeEnergies = _model.NodeEnergies(vectors, layout, elements, groups);
        var atomEnergies = nodeEnergies.detach().to(ScalarType.Float64).cpu().data<double>().ToArray();
        double[]? gradient = null;
        if (needGradient && graph.EdgeCount == 0) gradient = []; // isolated atoms: no edge, no force, no virial
        else if (needGradient)
        {
            var total = nodeEnergies.sum();
            var g = autograd.grad([total], [vectors])[0];
            gradient = g.to(ScalarType.Float64).cpu().data<double>().ToArray();
        }

        var results = new PotentialResult[structures.Count];
        for (int b = 0; b < structures.Count; b++)
        {
            var s = structures[b];
            int atom0 = graph.AtomOffsets[b], edge0 = graph.EdgeOffsets[b], edge1 = graph.EdgeOffsets[b + 1];
            double energy = 0;
            for (int a = 0; a < s.Count; a++) energy += atomEnergies[atom0 + a];
            Vec3[]? forces = null;
            Mat3? stress = null;
            if (gradient is not null && (what & Quantities.Forces) != 0)
            {
                forces = new Vec3[s.Count];
                for (int e = edge0; e < edge1; e++)
                {
                    var g = new Vec3(gradient[3 * e], gradient[3 * e + 1], gradient[3 * e + 2]);
                    forces[graph.Sender[e] - atom0] += g;
                    forces[graph.Receiver[e] - atom0] -= g;
                }
            }
            if (gradient is not null && (what & Quantities.Stress) != 0 && s.Pbc.AllPeriodic)
            {
                var virial = new double[9];
                for (int e = edge0; e < edge1; e++)
                    for (int a = 0; a < 3; a++)
                        for (int c = 0; c < 3; c++)
                            virial[3 * a + c] += graph.Vectors[3 * e + a] * gradient[3 * e + c];
                double inv = 1.0 / Math.Abs(s.Cell.Volume);
                var sym = new double[9];
                for (int a = 0; a < 3; a++)
                    for (int c = 0; c < 3; c++) sym[3 * a + c] = 0.5 * (virial[3 * a + c] + virial[3 * c + a]) * inv;
                stress = Mat3.FromArray(sym);
            }
            results[b] = new PotentialResult
            {
                Energy = energy,
                Forces = forces,
                Stress = stress,
                AtomEnergies = (what & Quantities.AtomEnergies) != 0 ? atomEnergies.AsSpan(atom0, s.Count).ToArray() : null,
            };
        }
        return results;
    }

    /// <summary>The flat graph of a batch: nodes of structure b at [AtomOffsets[b], AtomOffsets[b+1]), its edges likewise.</summary>
    internal sealed class Graph
    {
        public required long[] Elements;
        public required long[] Sender;
        public required long[] Receiver;
        public required double[] Vectors;
        public required int[] Shifts;      // 3 per edge: the sender's image
        public required int[] AtomOffsets;
        public required int[] EdgeOffsets;
        public int EdgeCount => Sender.Length;

        public static Graph Build(IReadOnlyList<Structure> structures, IReadOnlyList<NeighborList> neighbors, double cutoff, IReadOnlyDictionary<int, int> elementIndex)
        {
            var elements = new List<long>(); var sender = new List<long>(); var receiver = new List<long>(); var vectors = new List<double>(); var shifts = new List<int>();
            var atomOffsets = new int[structures.Count + 1];
            var edgeOffsets = new int[structures.Count + 1];
            for (int b = 0; b < structures.Count; b++)
            {
                var s = structures[b]; var list = neighbors[b];
                if (!list.IsFull) throw new ArgumentException("MACE needs a full neighbor list (i→j and j→i)");
                if (list.AtomCount != s.Count) throw new ArgumentException($"the neighbor list is for {list.AtomCount} atoms, the structure has {s.Count}");
                int atom0 = atomOffsets[b];
                foreach (int z in s.Numbers) elements.Add(elementIndex[z]);
                var cell = s.Cell.Matrix;
                for (int p = 0; p < list.Count; p++)
                {
                    // Recomputed from the current positions: a Verlet list may hold vectors of an older geometry.
                    var shift = new Vec3(list.Shifts[3 * p], list.Shifts[3 * p + 1], list.Shifts[3 * p + 2]) * cell;
                    var v = s.Positions[list.J[p]] + shift - s.Positions[list.I[p]];
                    if (v.Length >= cutoff) continue;
                    if (list.I[p] == list.J[p] && list.Shifts[3 * p] == 0 && list.Shifts[3 * p + 1] == 0 && list.Shifts[3 * p + 2] == 0) continue;
                    // The full list holds p: i → j image and its reverse; taking i as the receiver keeps the
                    // edges grouped by receiver (the list is grouped by i), which makes the message sum local.
                    // Edge vector = r_receiver − (r_sender + shift).
                    sender.Add(atom0 + list.J[p]);
                    receiver.Add(atom0 + list.I[p]);
                    vectors.Add(-v.X); vectors.Add(-v.Y); vectors.Add(-v.Z);
                    shifts.Add(list.Shifts[3 * p]); shifts.Add(list.Shifts[3 * p + 1]); shifts.Add(list.Shifts[3 * p + 2]);
                }
                atomOffsets[b + 1] = atom0 + s.Count;
                edgeOffsets[b + 1] = sender.Count;
            }
            return new Graph
            {
                Elements = elements.ToArray(), Sender = sender.ToArray(), Receiver = receiver.ToArray(), Vectors = vectors.ToArray(), Shifts = shifts.ToArray(),
                AtomOffsets = atomOffsets, EdgeOffsets = edgeOffsets,
            };
        }

        /// <summary>
        /// For every edge j → i with image S, the index of the edge i → j with image −S; null when some edge has no
        /// reverse (a list cut at a cutoff that rounds differently in the two directions).
        /// </summary>
        public long[]? ReverseEdges()
        {
            var index = new Dictionary<(long, long, int, int, int), long>(EdgeCount);
            for (int e = 0; e < EdgeCount; e++)
                index[(Sender[e], Receiver[e], Shifts[3 * e], Shifts[3 * e + 1], Shifts[3 * e + 2])] = e;
            var reverse = new long[EdgeCount];
            for (int e = 0; e < EdgeCount; e++)
            {
                if (!index.TryGetValue((Receiver[e], Sender[e], -Shifts[3 * e], -Shifts[3 * e + 1], -Shifts[3 * e + 2]), out long r)) return null;
                reverse[e] = r;
            }
            return reverse;
        }
    }
}
