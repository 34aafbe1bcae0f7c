using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Neighbors;

/// <summary>
/// Refuses a structure with two atoms (or an atom and a periodic image of itself) closer than a sane floor before a
/// potential is evaluated on it: coincident sites from a bad file would otherwise give an infinite energy and NaN
/// forces. The floor is <see cref="DefaultCovalentFraction"/> of the sum of the two covalent radii (0.31 Å for H–H,
/// 1.32 Å for Cu–Cu), the bound <see cref="Dynamics.BlowUpDetector"/> uses during a run, or a fixed distance.
/// </summary>
public static class CloseContacts
{
    public const double DefaultCovalentFraction = 0.5;

    /// <summary>The closest distance allowed between atoms of elements <paramref name="zi"/> and <paramref name="zj"/>.</summary>
    public static double Floor(int zi, int zj, double? minDistance = null) =>
        minDistance ?? DefaultCovalentFraction * (Element.FromZ(zi).CovalentRadius + Element.FromZ(zj).CovalentRadius);

    /// <summary>The pair that violates its floor the most (smallest distance / floor), or null when none does.</summary>
    public static (int I, int J, double Distance, double Floor)? Find(Structure s, double? minDistance = null)
    {
        if (minDistance is { } d && !(d >= 0 && double.IsFinite(d)))
            throw new ArgumentOutOfRangeException(nameof(minDistance), "The minimum distance must be a finite number, 0 or more.");
        if (s.Count == 0 || minDistance == 0) return null;
        double largest = minDistance ?? 2 * DefaultCovalentFraction * s.Numbers.Distinct().Max(z => Element.FromZ(z).CovalentRadius);
        var list = NeighborListBuilder.Build(s, largest, full: false);
        (int, int, double, double)? worst = null;
        double worstRatio = 1;
        for (int p = 0; p < list.Count; p++)
        {
            int i = list.I[p], j = list.J[p];
            double floor = Floor(s.Numbers[i], s.Numbers[j], minDistance);
            double ratio = list.Distances[p] / floor;
            if (ratio < worstRatio) { worstRatio = ratio; worst = (i, j, list.Distances[p], floor); }
        }
        return worst;
    }

    /// <summary>Throws an <see cref="InputException"/> naming <paramref name="fileName"/> and the closest pair when
    /// two atoms are closer than their floor; <paramref name="hint"/> (how to lower the floor) ends the message.</summary>
    public static void Require(Structure s, string? fileName, double? minDistance = null, string? hint = null)
    {
        if (Find(s, minDistance) is not var (i, j, r, floor)) return;
        string what = i == j ? $"atom {i} and its periodic image are" : $"atoms {i} and {j} ({Element.FromZ(s.Numbers[i]).Symbol}, {Element.FromZ(s.Numbers[j]).Symbol}) are";
        string bound = minDistance is null ? $"{floor:F3} Å, half the sum of their covalent radii" : $"{floor:F3} Å";
        throw new InputException(fileName, null, FormattableString.Invariant(
            $"{what} {r:F3} Å apart, closer than {bound}: overlapping atoms cannot be evaluated{(hint is null ? "" : "; " + hint)}"));
    }
}
