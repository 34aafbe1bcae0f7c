using TorchSharp;

namespace MDEngine.ML.Graphs;

/// <summary>
/// How any ML model is evaluated: precision, device and threads. Every model family reads these from the same keys of
/// its potential specification (<c>dtype=float64|float32</c>, <c>device=cpu|cuda|cuda:N|auto</c>, <c>threads=N</c>).
/// </summary>
public record TorchSettings
{
    /// <summary>Float64 (default, reproduces the reference codes' float64 results to round-off) or Float32.</summary>
    public torch.ScalarType DType { get; init; } = torch.ScalarType.Float64;

    /// <summary>"cpu", "cuda", "cuda:N", or "auto" (CUDA when torch.cuda.is_available()).</summary>
    public string Device { get; init; } = "auto";

    /// <summary>When set, torch's intra-op thread count (process-wide) is set to this on loading; on a CPU shared with
    /// other jobs one thread is often faster than two.</summary>
    public int? Threads { get; init; }

    /// <summary>On the CPU, keep freed native memory for reuse instead of returning it to the system after every
    /// large tensor (see <see cref="NativeHeap"/>; process-wide). On by default: it saves about a fifth of the time.</summary>
    public bool KeepFreedMemory { get; init; } = true;

    /// <summary>"float64"/"double" or "float32"/"float" (any case); null for anything else.</summary>
    public static torch.ScalarType? ParseDType(string name) => name.ToLowerInvariant() switch
    {
        "float64" or "double" => torch.ScalarType.Float64,
        "float32" or "float" => torch.ScalarType.Float32,
        _ => null,
    };

    public torch.Device ResolveDevice() => Device switch
    {
        "auto" => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        "cpu" => torch.CPU,
        var d when d.StartsWith("cuda", StringComparison.Ordinal) => torch.cuda.is_available()
            ? new torch.Device(d)
            : throw new ModelException($"device '{d}' requested but CUDA is not available (build with -p:TorchBackend=cuda on a machine with a GPU)"),
        var d => throw new ModelException($"unknown device '{d}' (use cpu, cuda, cuda:N or auto)"),
    };

    /// <summary>Applies the process-wide settings (threads, memory) and returns the device to load the model on.</summary>
    public torch.Device Apply()
    {
        if (Threads is int threads)
        {
            if (threads < 1) throw new ModelException($"threads must be at least 1, not {threads}");
            torch.set_num_threads(threads);
        }
        var device = ResolveDevice();
        if (KeepFreedMemory && device.type == DeviceType.CPU) NativeHeap.KeepFreedMemory();
        return device;
    }
}

/// <summary>A model file that cannot be used: malformed, inconsistent, or asking for what is not implemented. Its
/// message says what is wrong; the specification layer adds the file and reports it as bad input.</summary>
public class ModelException(string message) : Exception(message);
