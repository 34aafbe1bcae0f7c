namespace MDEngine.Potentials;

/// <summary>How many threads classical potentials may use (default: every core). Benchmarks set it to compare
/// one-core and all-core rates.</summary>
public static class PotentialParallelism
{
    private static int _maxThreads = Environment.ProcessorCount;

    public static int MaxThreads
    {
        get => _maxThreads;
        set => _maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "At least one thread is needed.");
    }

    /// <summary>Below this many atoms one thread does the work: scheduling would cost more than it saves.</summary>
    public const int MinAtomsPerThread = 128;

    internal static int ChunksFor(int atoms) => Math.Max(1, Math.Min(MaxThreads, atoms / MinAtomsPerThread));
}
