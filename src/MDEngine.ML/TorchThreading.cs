using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MDEngine.ML;

/// <summary>
/// Makes torch's OpenMP worker threads sleep, not spin, while they wait for work. By default libgomp spins for a
/// while at every barrier; torch runs thousands of small parallel regions per MACE evaluation, and on a CPU shared
/// with other processes a spinning worker takes the core from the very thread it waits for, so that two threads ran
/// 2–6× slower than one, erratically. With the passive policy two threads cost no more processor time than one.
/// libgomp reads OMP_WAIT_POLICY once, when libtorch is loaded, so it is set (unless the user set it) when this
/// assembly is first used, before any torch call from it. Linux only (where libtorch uses libgomp).
/// </summary>
internal static class TorchThreading
{
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);

#pragma warning disable CA2255 // a library module initializer: the setting must precede the loading of libtorch
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void PreferPassiveWaiting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return;
        try { SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }
}
