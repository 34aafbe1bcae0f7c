using BenchmarkDotNet.Running;
using MDEngine.Benchmarks;

// "cpu-time": process CPU time per build, for a shared machine; anything else goes to BenchmarkDotNet.
if (args is ["cpu-time", ..]) CpuTimeProbe.Run();
else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
