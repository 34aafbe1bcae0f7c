using MDEngine.Potentials;

namespace MDEngine.Tests.Potentials;

/// <summary>Passes every batch on to <paramref name="inner"/> and records its size: how a test sees how many potential
/// calls a driver made and how many structures each carried.</summary>
internal sealed class CountingPotential(Potential inner) : Potential
{
    /// <summary>The size of every batch the potential was called with, in order.</summary>
    public List<int> BatchSizes { get; } = [];
    public int Calls => BatchSizes.Count;
    public int LargestBatch => BatchSizes.DefaultIfEmpty(0).Max();

    public override string Name => inner.Name;
    public override double Cutoff => inner.Cutoff;
    public override IReadOnlySet<int>? Elements => inner.Elements;
    public override bool NeedsFullNeighborList => inner.NeedsFullNeighborList;

    public override void Compute(PotentialBatch batch)
    {
        BatchSizes.Add(batch.Count);
        inner.Compute(batch);
    }
}
