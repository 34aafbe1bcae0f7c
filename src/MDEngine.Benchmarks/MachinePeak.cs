using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MDEngine.Benchmarks;

/// <summary>
/// The floating-point peak of one core, read from the machine: the SIMD width and FMA support the runtime reports, the
/// clock /proc/cpuinfo states, and the throughput of independent double-precision fused multiply-adds measured on one
/// thread (single precision: twice the lanes on the same units), which with the FMA units' count gives the clock the
/// core actually runs at.
/// </summary>
public sealed record MachinePeak(int VectorBits, bool HasFma, double ClockGHz, double Float64GFlops)
{
    /// <summary>The same FMA units on twice the lanes.</summary>
    public double Float32GFlops => 2 * Float64GFlops;

    /// <summary>The clock the measured float64 rate implies if the core issues two 256-bit FMAs per cycle (Zen 3, Intel
    /// since Haswell): above the stated clock when the core boosts.</summary>
    public double ImpliedClockGHz => Float64GFlops / (4 * 2 * 2);

    public override string ToString() =>
        $"{VectorBits}-bit SIMD, FMA {(HasFma ? "yes" : "no")}, stated clock {ClockGHz:F2} GHz (cpuinfo); measured {Float64GFlops:F1} GFLOP/s float64, " +
        $"{Float32GFlops:F1} GFLOP/s float32 per core (two FMAs per cycle at {ImpliedClockGHz:F2} GHz)";

    public static MachinePeak Measure()
    {
        int bits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
        return new MachinePeak(bits, Fma.IsSupported, StatedClockGHz(), Best(() => Burn(20_000_000)));
    }

    private static double Best(Func<double> run) => Enumerable.Range(0, 3).Max(_ => run());

    /// <summary>GFLOP/s of 8 independent chains of 256-bit double-precision FMAs (enough in flight to cover the FMA
    /// latency).</summary>
    private static double Burn(long iterations)
    {
        if (!Fma.IsSupported || !Vector256.IsHardwareAccelerated) return double.NaN;
        var watch = Stopwatch.StartNew();
        GC.KeepAlive(BurnDouble(iterations));
        return iterations * 8.0 * 4 * 2 / watch.Elapsed.TotalSeconds / 1e9;
    }

    private static double BurnDouble(long n)
    {
        var a0 = Vector256.Create(1.0); Vector256<double> a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        var b = Vector256.Create(0.9999999); var c = Vector256.Create(1e-9);
        for (long i = 0; i < n; i++)
        {
            a0 = Fma.MultiplyAdd(a0, b, c); a1 = Fma.MultiplyAdd(a1, b, c); a2 = Fma.MultiplyAdd(a2, b, c); a3 = Fma.MultiplyAdd(a3, b, c);
            a4 = Fma.MultiplyAdd(a4, b, c); a5 = Fma.MultiplyAdd(a5, b, c); a6 = Fma.MultiplyAdd(a6, b, c); a7 = Fma.MultiplyAdd(a7, b, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }

    /// <summary>The clock /proc/cpuinfo states for the first core (GHz); 0 when not on Linux.</summary>
    private static double StatedClockGHz()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line[(line.IndexOf(':') + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture) / 1000;
        }
        catch (IOException) { return 0; }
    }
}
