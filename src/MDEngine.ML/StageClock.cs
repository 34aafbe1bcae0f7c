using System.Diagnostics;

namespace MDEngine.ML;

/// <summary>
/// Wall and processor time per stage of a model evaluation, for profiling (<c>mdengine bench mace --stages</c>).
/// Off unless <see cref="Start"/> was called on the evaluating thread; then each <see cref="Mark"/> charges the time
/// since the previous mark to its stage. Marks from other threads and from inside parallel sections are ignored, so a
/// stage's wall time is what the evaluating thread waited, and its processor time is the whole process's (every
/// thread) over the same interval. Forward stages carry their own names; reverse-pass stages start with "reverse:".
/// </summary>
public static class StageClock
{
    [ThreadStatic] private static Dictionary<string, (double Wall, double Cpu)>? _totals;
    [ThreadStatic] private static long _last;
    [ThreadStatic] private static TimeSpan _lastCpu;

    /// <summary>True while this thread records.</summary>
    public static bool Recording => _totals is not null;

    /// <summary>Starts recording on this thread, with empty totals.</summary>
    public static void Start() { _totals = []; Lap(); }

    /// <summary>Restarts the clock without charging the time since the last mark (call before each evaluation).</summary>
    public static void Lap()
    {
        if (_totals is null) return;
        _last = Stopwatch.GetTimestamp();
        _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    }

    /// <summary>Stops recording and returns the seconds charged to each stage, in the order stages first appeared.</summary>
    public static IReadOnlyList<(string Stage, double Wall, double Cpu)> Stop()
    {
        var totals = _totals ?? [];
        _totals = null;
        return totals.Select(kv => (kv.Key, kv.Value.Wall, kv.Value.Cpu)).ToList();
    }

    /// <summary>Charges the time since the previous mark to <paramref name="stage"/>.</summary>
    internal static void Mark(string stage)
    {
        if (_totals is null || Kernels.CpuParallel.InSection) return;
        long now = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (wall, processor) = _totals.GetValueOrDefault(stage);
        _totals[stage] = (wall + (now - _last) / (double)Stopwatch.Frequency, processor + (cpu - _lastCpu).TotalSeconds);
        _last = now; _lastCpu = cpu;
    }
}
