using System.Numerics;
using System.Runtime.CompilerServices;
using MDEngine.Potentials;
using TorchSharp;
using static TorchSharp.torch;

namespace MDEngine.ML.Graphs;

/// <summary>
/// A graph model whose energy depends on positions only through the edge vectors (MACE, TensorNet, most message-passing
/// potentials). It computes atomic energies; forces and stress follow from one reverse pass through the edge vectors
/// v_e = r_receiver − r_sender_image, assembled on the device: with g_e = ∂E/∂v_e,
/// F_receiver −= g_e and F_sender += g_e; a homogeneous strain maps every v_e to v_e(1+ε) (positions and cell strained
/// alike), so ∂E/∂ε_ab = Σ_e v_ea g_eb over the structure's edges. On a GPU only [N, 3] forces and [B, 3, 3] strain
/// derivatives cross to the host, never the [E, 3] edge gradients; on the CPU the sums run on the host's arrays.
/// </summary>
public abstract class EdgeEnergyModel : GraphModel
{
    /// <summary>[N] the energy of every atom from the batch's edge vectors (<see cref="GraphBatch.Vectors"/>).</summary>
    public abstract Tensor NodeEnergies(GraphBatch batch);

    /// <summary>
    /// The energy of every atom [N] with g_e = ∂(Σ energies)/∂v_e [E, 3], from a reverse pass the model writes out
    /// itself, without an autograd graph; null where the model has none for this batch (then autograd differentiates
    /// <see cref="NodeEnergies(GraphBatch)"/>). Both give the same numbers to round-off.
    /// </summary>
    public virtual (Tensor Energies, Tensor EdgeGradient)? EnergiesAndEdgeGradient(GraphBatch batch) => null;

    public sealed override GraphOutput Evaluate(GraphBatch batch, Quantities what)
    {
        bool forces = (what & Quantities.Forces) != 0, strain = (what & Quantities.Stress) != 0;
        if (!(forces || strain)) return new GraphOutput { NodeEnergies = NodeEnergies(batch) };
        if (batch.EdgeCount == 0) // isolated atoms: no edge, no force, no virial
            return new GraphOutput
            {
                NodeEnergies = NodeEnergies(batch),
                Forces = forces ? zeros([batch.NodeCount, 3], DType, Device) : null,
                StrainDerivative = strain ? zeros([batch.StructureCount, 3, 3], DType, Device) : null,
            };
        Tensor energies, g;
        if (EnergiesAndEdgeGradient(batch) is { } written) (energies, g) = written;
        else
        {
            energies = NodeEnergies(batch);
            g = autograd.grad([energies.sum()], [batch.Vectors])[0];
        }
        StageClock.Mark("reverse: other");
        var (f, w) = g.device_type == DeviceType.CPU ? SumsOnHost(g, batch.Graph, forces, strain) : SumsOnDevice(g, batch, forces, strain);
        StageClock.Mark("forces, virial");
        return new GraphOutput { NodeEnergies = energies.detach(), Forces = f, StrainDerivative = w };
    }

    /// <summary>Forces and strain derivatives from the edge gradients g [E, 3] as scatter-adds on the device.</summary>
    private (Tensor? Forces, Tensor? Strain) SumsOnDevice(Tensor g, GraphBatch batch, bool forces, bool strain)
    {
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
        return (f, w);
    }

    /// <summary>The same sums for CPU tensors, over the host's edges in float64 (in the scatter-adds' order), read
    /// straight from the gradient's memory: three scatter-adds over a few thousand rows cost far more in torch than
    /// the additions.</summary>
    private static unsafe (Tensor? Forces, Tensor? Strain) SumsOnHost(Tensor g, AtomGraph graph, bool forces, bool strain)
    {
        var host = g.dtype is ScalarType.Float32 or ScalarType.Float64 ? g.contiguous() : g.to(ScalarType.Float64).contiguous();
        var f = forces ? new double[3 * graph.NodeCount] : null;
        var w = strain ? new double[9 * graph.StructureCount] : null;
        if (host.dtype == ScalarType.Float32) Sums(Kernels.TensorMemory.Pointer<float>(host), graph, f, w);
        else Sums(Kernels.TensorMemory.Pointer<double>(host), graph, f, w);
        GC.KeepAlive(host); // read through a pointer above: not finalized (its memory freed) before the sums are done
        // Kept in float64: the caller reads them back as float64 on the host.
        return (f is null ? null : tensor(f, [graph.NodeCount, 3], ScalarType.Float64),
                w is null ? null : tensor(w, [graph.StructureCount, 3, 3], ScalarType.Float64));
    }

    /// <summary>F_sender += g_e, then F_receiver −= g_e; per structure W_ab = Σ_e v_ea g_eb (each sum in edge order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call per evaluation: optimised from the first
    private static unsafe void Sums<T>(T* g, AtomGraph graph, double[]? forces, double[]? virial) where T : unmanaged, INumberBase<T>
    {
        int edges = graph.EdgeCount;
        fixed (long* sender = graph.Sender, receiver = graph.Receiver)
        fixed (double* f = forces, v = graph.Vectors, w = virial)
        {
            if (f != null)
            {
                for (int e = 0; e < edges; e++)
                {
                    double* target = f + 3 * sender[e];
                    target[0] += double.CreateTruncating(g[3 * e]); target[1] += double.CreateTruncating(g[3 * e + 1]); target[2] += double.CreateTruncating(g[3 * e + 2]);
                }
                for (int e = 0; e < edges; e++)
                {
                    double* target = f + 3 * receiver[e];
                    target[0] -= double.CreateTruncating(g[3 * e]); target[1] -= double.CreateTruncating(g[3 * e + 1]); target[2] -= double.CreateTruncating(g[3 * e + 2]);
                }
            }
            if (w == null) return;
            for (int b = 0; b < graph.StructureCount; b++)
            {
                double* sum = w + 9 * b;
                for (int e = graph.EdgeOffsets[b]; e < graph.EdgeOffsets[b + 1]; e++)
                {
                    double gx = double.CreateTruncating(g[3 * e]), gy = double.CreateTruncating(g[3 * e + 1]), gz = double.CreateTruncating(g[3 * e + 2]);
                    double* ve = v + 3 * e;
                    for (int a = 0; a < 3; a++)
                    {
                        sum[3 * a] += ve[a] * gx; sum[3 * a + 1] += ve[a] * gy; sum[3 * a + 2] += ve[a] * gz;
                    }
                }
            }
        }
    }
}
