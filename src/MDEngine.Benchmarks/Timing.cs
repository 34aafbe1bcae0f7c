using System.Diagnostics;

namespace MDEngine.Benchmarks;

/// <summary>Work per second of wall-clock time and per second of this process's CPU time. On a shared machine other
/// jobs take cores away at random; a single-threaded run's rate per CPU second does not depend on that, so CPU-time
/// rates compare two codes even when the wall-clock ones drift.</summary>
public readonly record struct Rate(double Wall, double Cpu);

/// <summary>Wall-clock and process CPU time (getrusage) from one starting point.</summary>
public readonly record struct CpuAndWallClock(long WallStart, TimeSpan CpuStart)
{
    public static CpuAndWallClock Start() => new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime);

    public double WallSeconds => Stopwatch.GetElapsedTime(WallStart).TotalSeconds;

    public double CpuSeconds => (Environment.CpuUsage.TotalTime - CpuStart).TotalSeconds;

    public Rate RateOf(double work) => new(work / WallSeconds, work / Math.Max(CpuSeconds, 1e-9));
}

/// <summary>What the machine was doing when a benchmark ran: its load average, printed beside every table.</summary>
public static class MachineLoad
{
    public static string Average() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
