using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Dynamics;

/// <summary>
/// Stops a run whose atoms come closer than a sane bound: by default half the sum of the two atoms' covalent radii
/// (for Cu–Cu 1.32 Å, about half the nearest-neighbour distance), or a fixed distance when one is given.
/// Scans the pair distances of the force evaluation's neighbor list, so it costs one comparison per pair.
/// </summary>
public sealed class BlowUpDetector
{
    private readonly Dictionary<(int, int), double> _bounds = [];

    public double? MinDistance { get; }
    public double CovalentFraction { get; }

    public BlowUpDetector(double? minDistance = null, double covalentFraction = 0.5)
    {
        if (minDistance is { } d && !(d > 0)) throw new ArgumentOutOfRangeException(nameof(minDistance), "The minimum distance must be positive.");
        if (!(covalentFraction > 0)) throw new ArgumentOutOfRangeException(nameof(covalentFraction), "The covalent fraction must be positive.");
        MinDistance = minDistance; CovalentFraction = covalentFraction;
        _largestBound = minDistance ?? 2 * covalentFraction * Element.All.Max(e => e.CovalentRadius);
    }

    private readonly double _largestBound;

    private double Bound(int zi, int zj)
    {
        if (MinDistance is { } d) return d;
        if (!_bounds.TryGetValue((zi, zj), out double b))
            _bounds[(zi, zj)] = b = CovalentFraction * (Element.FromZ(zi).CovalentRadius + Element.FromZ(zj).CovalentRadius);
        return b;
    }

    /// <summary>Throws <see cref="MdBlowUpException"/> when a pair of <paramref name="neighbors"/> is too close.</summary>
    public void Check(MdState state, NeighborList neighbors)
    {
        var numbers = state.Structure.Numbers;
        double largest = _largestBound;
        var distances = neighbors.Distances;
        for (int p = 0; p < neighbors.Count; p++)
        {
            double r = distances[p];
            if (r >= largest) continue;
            int i = neighbors.I[p], j = neighbors.J[p];
            double bound = Bound(numbers[i], numbers[j]);
            if (r < bound)
                throw new MdBlowUpException(state.Step, FormattableString.Invariant(
                    $"atoms {i} and {j} are {r:F3} Å apart (bound {bound:F3} Å)"));
        }
    }
}
