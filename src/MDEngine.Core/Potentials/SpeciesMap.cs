using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>Maps atomic numbers to a potential's species indices 0..Count−1 (the LAMMPS "type → element" map).
/// An "any element" map sends every element to species 0.</summary>
public sealed class SpeciesMap
{
    private readonly int[] _indexOfZ = new int[Element.MaxZ + 1];

    /// <summary>Atomic numbers of the species in index order; empty for an any-element map.</summary>
    public IReadOnlyList<int> Numbers { get; }
    public int Count { get; }
    public bool AnyElement { get; }

    public SpeciesMap(IReadOnlyList<int> numbers)
    {
        Numbers = numbers.ToArray();
        Count = numbers.Count;
        Array.Fill(_indexOfZ, -1);
        for (int k = 0; k < numbers.Count; k++)
        {
            if (_indexOfZ[numbers[k]] >= 0) throw new ArgumentException($"Element {Element.FromZ(numbers[k]).Symbol} is listed twice.");
            _indexOfZ[numbers[k]] = k;
        }
    }

    private SpeciesMap()
    {
        Numbers = [];
        Count = 1;
        AnyElement = true;
    }

    public static SpeciesMap Any() => new();

    public IReadOnlySet<int>? Elements => AnyElement ? null : Numbers.ToHashSet();

    public int IndexOf(int z) => AnyElement ? 0 : _indexOfZ[z];

    /// <summary>The species index of every atom; throws <see cref="PotentialCoverageException"/> for an uncovered element.</summary>
    public int[] TypesOf(Structure s, string potentialName)
    {
        var types = new int[s.Count];
        if (AnyElement) return types;
        for (int i = 0; i < s.Count; i++)
        {
            int t = _indexOfZ[s.Numbers[i]];
            if (t < 0)
                throw new PotentialCoverageException($"potential '{potentialName}' does not cover element {Element.FromZ(s.Numbers[i]).Symbol} " +
                    $"(it covers {string.Join(", ", Numbers.Select(z => Element.FromZ(z).Symbol))})");
            types[i] = t;
        }
        return types;
    }
}
