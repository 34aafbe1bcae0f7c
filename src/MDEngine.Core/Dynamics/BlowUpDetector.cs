using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Dynamics;

/// <summary>
/// Stops a run whose atoms come closer than a sane bound: by default half the sum of the two atoms' covalent radii
/// (for Cu–Cu 1.32 Å, about half the nearest-neighbour distance), or a fixed distance when one is given.
/// Checked every <see cref="Interval"/> steps with a short-range neighbor search, so its cost stays small.
/// Non-finite forces and energies are caught at every step by <see cref="ForceEvaluator"/>.
/// </summary>
public sealed class BlowUpDetector
{
    public int Interval { get; }
    public double? MinDistance { get; }
    public double CovalentFraction { get; }

    public BlowUpDetector(int interval = 20, double? minDistance = null, double covalentFraction = 0.5)
    {
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(interval), "The check interval must be at least 1 step.");
        if (minDistance is { } d && !(d > 0)) throw new ArgumentOutOfRangeException(nameof(minDistance), "The minimum distance must be positive.");
        if (!(covalentFraction > 0)) throw new ArgumentOutOfRangeException(nameof(covalentFraction), "The covalent fraction must be positive.");
        Interval = interval; MinDistance = minDistance; CovalentFraction = covalentFraction;
    }

    public void Check(MdState state)
    {
        var s = state.Structure;
        for (int i = 0; i < s.Count; i++)
            if (!s.Positions[i].IsFinite || !state.Velocities[i].IsFinite)
                throw new MdBlowUpException(state.Step, $"atom {i} has a non-finite position or velocity");
        if (s.Count < 2) return;
        double largest = MinDistance ?? CovalentFraction * 2 * s.Numbers.Distinct().Max(z => Element.FromZ(z).CovalentRadius);
        var list = NeighborListBuilder.Build(s, largest, full: false);
        for (int p = 0; p < list.Count; p++)
        {
            int i = list.I[p], j = list.J[p];
            double bound = MinDistance ?? CovalentFraction * (Element.FromZ(s.Numbers[i]).CovalentRadius + Element.FromZ(s.Numbers[j]).CovalentRadius);
            if (list.Distances[p] < bound)
                throw new MdBlowUpException(state.Step, FormattableString.Invariant(
                    $"atoms {i} and {j} are {list.Distances[p]:F3} Å apart (bound {bound:F3} Å)"));
        }
    }
}
