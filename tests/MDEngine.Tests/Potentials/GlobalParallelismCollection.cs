namespace MDEngine.Tests.Potentials;

/// <summary>
/// Tests that change the process-wide <see cref="MDEngine.Potentials.PotentialParallelism"/> settings run alone:
/// otherwise a test running beside them (e.g. a bit-identical restart) would see its chunking, and so its summation
/// order, change in the middle.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalParallelismCollection
{
    public const string Name = "Global potential parallelism";
}
