using TorchSharp;

namespace MDEngine.ML.Mace;

/// <summary>How a MACE model is evaluated: precision, device and the form of the symmetric contraction.</summary>
public sealed record MaceOptions
{
    /// <summary>Float64 (default, reproduces mace-torch's float64 results to round-off) or Float32.</summary>
    public torch.ScalarType DType { get; init; } = torch.ScalarType.Float64;

    /// <summary>"cpu", "cuda", "cuda:N", or "auto" (CUDA when torch.cuda.is_available()).</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Evaluate the symmetric contraction with mace-torch's dense U tensors instead of the sparse monomial
    /// form (slower; a cross-check).</summary>
    public bool DenseContraction { get; init; }

    /// <summary>When set, torch's intra-op thread count (process-wide) is set to this on loading; on a CPU shared with
    /// other jobs one thread is often faster than two.</summary>
    public int? Threads { get; init; }

    /// <summary>On the CPU, keep freed native memory for reuse instead of returning it to the system after every
    /// large tensor (see <see cref="NativeHeap"/>; process-wide). On by default: it saves about a fifth of the time.</summary>
    public bool KeepFreedMemory { get; init; } = true;

    public torch.Device ResolveDevice() => Device switch
    {
        "auto" => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        "cpu" => torch.CPU,
        var d when d.StartsWith("cuda", StringComparison.Ordinal) => torch.cuda.is_available()
            ? new torch.Device(d)
            : throw new MaceModelException($"device '{d}' requested but CUDA is not available (build with -p:TorchBackend=cuda on a machine with a GPU)"),
        var d => throw new MaceModelException($"unknown device '{d}' (use cpu, cuda, cuda:N or auto)"),
    };
}
