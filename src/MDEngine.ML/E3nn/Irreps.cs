using System.Globalization;

namespace MDEngine.ML.E3nn;

/// <summary>An irreducible representation of O(3): degree l and parity p (+1 even "e", −1 odd "o"); dimension 2l+1.</summary>
public readonly record struct Irrep(int L, int P) : IComparable<Irrep>
{
    public int Dim => 2 * L + 1;

    public static Irrep Parse(string text)
    {
        text = text.Trim();
        if (text.Length < 2 || (text[^1] != 'e' && text[^1] != 'o') || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out int l))
            throw new FormatException($"'{text}' is not an irrep such as 0e or 1o");
        return new Irrep(l, text[^1] == 'e' ? 1 : -1);
    }

    /// <summary>The irreps in the tensor product, l from |l1 − l2| to l1 + l2, parity p1·p2 (e3nn's order).</summary>
    public IEnumerable<Irrep> Times(Irrep other)
    {
        for (int l = Math.Abs(L - other.L); l <= L + other.L; l++) yield return new Irrep(l, P * other.P);
    }

    /// <summary>e3nn orders irreps as the tuples (l, p): by degree, odd before even.</summary>
    public int CompareTo(Irrep other) => L != other.L ? L.CompareTo(other.L) : P.CompareTo(other.P);

    public override string ToString() => $"{L}{(P == 1 ? 'e' : 'o')}";
}

public readonly record struct MulIrrep(int Mul, Irrep Ir)
{
    public int Dim => Mul * Ir.Dim;
    public override string ToString() => $"{Mul}x{Ir}";
}

/// <summary>
/// A direct sum of irreps with multiplicities, such as "32x0e+32x1o". A feature vector follows e3nn's "mul_ir"
/// layout: block after block, each block <c>mul</c> copies of a (2l+1)-vector, copy-major.
/// </summary>
public sealed class Irreps : IReadOnlyList<MulIrrep>, IEquatable<Irreps>
{
    private readonly MulIrrep[] _items;

    public Irreps(IEnumerable<MulIrrep> items) => _items = items.ToArray();

    public static Irreps Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new Irreps([]);
        return new Irreps(text.Split('+').Select(part =>
        {
            part = part.Trim();
            int x = part.IndexOf('x');
            int mul = x < 0 ? 1 : int.Parse(part[..x], CultureInfo.InvariantCulture);
            return new MulIrrep(mul, Irrep.Parse(x < 0 ? part : part[(x + 1)..]));
        }));
    }

    /// <summary>One copy of each degree 0..lmax with the parity of a polar vector's spherical harmonics, (−1)^l.</summary>
    public static Irreps SphericalHarmonics(int lmax) =>
        new(Enumerable.Range(0, lmax + 1).Select(l => new MulIrrep(1, new Irrep(l, l % 2 == 0 ? 1 : -1))));

    public int Count => _items.Length;
    public MulIrrep this[int index] => _items[index];
    public int Dim => _items.Sum(m => m.Dim);
    public int NumIrreps => _items.Sum(m => m.Mul);
    public int LMax => _items.Length == 0 ? -1 : _items.Max(m => m.Ir.L);

    /// <summary>Start of each block in the flat feature vector.</summary>
    public int[] Offsets()
    {
        var offsets = new int[_items.Length + 1];
        for (int i = 0; i < _items.Length; i++) offsets[i + 1] = offsets[i] + _items[i].Dim;
        return offsets;
    }

    /// <summary>x's blocks along <paramref name="dim"/>, one per entry (x has Dim entries there), as views. One split, not
    /// one narrow per block: the reverse pass of a narrow allocates and fills a zero tensor of x's whole size for each
    /// block, then sums them; a split's reverse pass is one concatenation.</summary>
    public TorchSharp.torch.Tensor[] Blocks(TorchSharp.torch.Tensor x, long dim = 1) => x.split(_items.Select(m => (long)m.Dim).ToArray(), dim);

    public bool Contains(Irrep ir) => _items.Any(m => m.Ir == ir && m.Mul > 0);

    /// <summary>Total multiplicity of <paramref name="ir"/>.</summary>
    public int CountOf(Irrep ir) => _items.Where(m => m.Ir == ir).Sum(m => m.Mul);

    /// <summary>Stable sort by irrep; <c>Permutation[old] = new</c> position (e3nn's <c>Irreps.sort().p</c>).</summary>
    public (Irreps Sorted, int[] Permutation) Sort()
    {
        var order = Enumerable.Range(0, _items.Length).OrderBy(i => _items[i].Ir).ThenBy(i => i).ToArray();
        var permutation = new int[_items.Length];
        for (int k = 0; k < order.Length; k++) permutation[order[k]] = k;
        return (new Irreps(order.Select(i => _items[i])), permutation);
    }

    /// <summary>Merges neighbouring blocks of the same irrep (the flat layout is unchanged).</summary>
    public Irreps Simplify()
    {
        var merged = new List<MulIrrep>();
        foreach (var m in _items)
        {
            if (m.Mul == 0) continue;
            if (merged.Count > 0 && merged[^1].Ir == m.Ir) merged[^1] = new MulIrrep(merged[^1].Mul + m.Mul, m.Ir);
            else merged.Add(m);
        }
        return new Irreps(merged);
    }

    /// <summary>Each irrep of this times a single irrep (all product irreps, in e3nn's order), then sorted and simplified.</summary>
    public Irreps Times(Irrep ir) => new Irreps(_items.SelectMany(m => m.Ir.Times(ir).Select(o => new MulIrrep(m.Mul, o)))).Sort().Sorted.Simplify();

    public IEnumerator<MulIrrep> GetEnumerator() => ((IEnumerable<MulIrrep>)_items).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();
    public bool Equals(Irreps? other) => other is not null && _items.SequenceEqual(other._items);
    public override bool Equals(object? obj) => Equals(obj as Irreps);
    public override int GetHashCode() => _items.Aggregate(0, (h, m) => HashCode.Combine(h, m));
    public override string ToString() => string.Join("+", _items.Select(m => m.ToString()));
}
