using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MDEngine.Benchmarks;

/// <summary>
/// The BenchmarkDotNet micro-benchmarks of the kernels (neighbor lists, pair and EAM forces), run inside the calling
/// process: the in-process toolchain needs no SDK, so a published <c>mdengine</c> runs them as
/// <c>mdengine bench kernels --filter '*Neighbor*'</c> (any BenchmarkDotNet argument after <c>kernels</c>).
/// </summary>
public static class KernelBenchmarks
{
    public static void Run(string[] args)
    {
        var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
        BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(args, config);
    }
}
