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

    private static int _minAtomsPerThread = 128;

    /// <summary>Each thread gets at least this many atoms (fewer atoms, fewer threads): below it scheduling costs
    /// more than it saves.</summary>
    public static int MinAtomsPerThread
    {
        get => _minAtomsPerThread;
        set => _minAtomsPerThread = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "At least one atom per thread.");
    }

    internal static int ChunksFor(int atoms) => Math.Max(1, Math.Min(MaxThreads, atoms / MinAtomsPerThread));
}
