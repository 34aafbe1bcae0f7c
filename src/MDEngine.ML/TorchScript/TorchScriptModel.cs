using System.Runtime.InteropServices;
using MDEngine.ML.Graphs;
using MDEngine.Potentials;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.TorchScript;

/// <summary>
/// A deployed TorchScript model as a <see cref="GraphModel"/>: the archive is loaded by libtorch's own TorchScript
/// loader, so any architecture runs without being ported. These models compute their edge vectors from positions,
/// lattice shifts and cells themselves (so the adapter never differentiates <see cref="GraphBatch.Vectors"/>) and most
/// differentiate their energy inside <c>forward</c>, which needs gradient mode even when only energies are asked for.
/// A family subclass says how the graph becomes its model's inputs and how its outputs become per-atom energies,
/// forces and ∂E/∂ε.
///
/// All families take the neighbor list in ASE's convention (i, j, S): row 0 of their <c>edge_index</c> is the centre
/// atom i (the graph's receiver), row 1 the neighbor j (the sender), S the integer lattice shift of j's image, and the
/// model forms r_j + S·cell − r_i = −v_e.
/// </summary>
public abstract class TorchScriptModel : GraphModel, IDisposable
{
    /// <summary>The added method every family calls, with plain tensor arguments and a list of tensors as result.</summary>
    protected const string Entry = "forward_tensors";

    private readonly jit.ScriptModule _module;
    private readonly string _name;
    private readonly double _cutoff;
    private readonly IReadOnlyList<int> _atomicNumbers;
    private readonly ScalarType _dtype;
    private readonly Device _device;

    protected TorchScriptModel(string path, jit.ScriptModule module, TorchScriptKind kind, double cutoff, IReadOnlyList<int> atomicNumbers,
        ScalarType dtype, Device device)
    {
        _module = module; _cutoff = cutoff; _atomicNumbers = atomicNumbers; _dtype = dtype; _device = device;
        _name = $"torchscript:{Path.GetFileName(path)} ({TorchScriptKinds.Name(kind)})";
        Kind = kind;
    }

    public TorchScriptKind Kind { get; }
    public override string Name => _name;
    public override double Cutoff => _cutoff;
    public override IReadOnlyList<int> AtomicNumbers => _atomicNumbers;
    public override ScalarType DType => _dtype;
    public override Device Device => _device;
    public sealed override bool DifferentiatesEdgeVectors => false;

    public sealed override GraphOutput Evaluate(GraphBatch batch, Quantities what)
    {
        // The models call torch.autograd.grad inside forward: gradient mode on, whatever the caller set.
        using var gradients = enable_grad();
        var output = Run(batch, what);
        return new GraphOutput
        {
            NodeEnergies = output.NodeEnergies.detach(),
            Forces = output.Forces?.detach(),
            StrainDerivative = output.StrainDerivative?.detach(),
        };
    }

    /// <summary>The family's call: inputs from the batch, outputs in MDEngine's conventions (per-atom energies [N],
    /// forces [N, 3], ∂E/∂ε [B, 3, 3]).</summary>
    protected abstract GraphOutput Run(GraphBatch batch, Quantities what);

    /// <summary>Calls the added entry method; a failure inside the model (a shape or type the model refuses) is
    /// reported as a model error naming the call.</summary>
    protected internal Tensor[] Call(params object[] arguments)
    {
        try
        {
            return _module.invoke(Entry, arguments) switch
            {
                Tensor[] list => list,
                Tensor t => [t],
                var other => throw new ModelException($"{Name}: the model returned {other?.GetType().Name ?? "nothing"}, not tensors"),
            };
        }
        catch (ExternalException e) { throw new ModelException($"{Name}: the model failed: {FirstLines(e.Message)}"); }
    }

    /// <summary>Structure b's part of the batch: its atoms [a0, a1) and its edges [e0, e1).</summary>
    protected static (int A0, int A1, int E0, int E1) Range(GraphBatch batch, int b) =>
        (batch.Graph.AtomOffsets[b], batch.Graph.AtomOffsets[b + 1], batch.Graph.EdgeOffsets[b], batch.Graph.EdgeOffsets[b + 1]);

    /// <summary>[2, E] edge_index in ASE's (i, j) order: centre atoms (receivers) then neighbors (senders), shifted so
    /// the first atom of the slice is 0.</summary>
    protected static Tensor EdgeIndex(GraphBatch batch, int e0, int e1, int a0) =>
        stack([batch.Receiver.narrow(0, e0, e1 - e0), batch.Sender.narrow(0, e0, e1 - e0)]).sub(a0);

    internal static string FirstLines(string message) => string.Join(" ", message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Take(3));

    public void Dispose()
    {
        _module.Dispose();
        GC.SuppressFinalize(this);
    }
}
