namespace MDEngine.Tests.IO;

/// <summary>Tests that read or replace the process-wide CIF space-group provider never run concurrently.</summary>
[CollectionDefinition(Name)]
public sealed class CifProviderCollection
{
    public const string Name = "CIF space-group provider";
}
