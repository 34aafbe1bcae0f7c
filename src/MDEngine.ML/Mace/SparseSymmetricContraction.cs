using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// The symmetric contraction collapsed, per element, onto the distinct monomials of the node features
/// (the approach of the C++ "symmetrix" evaluator). Because the product x[i1]···x[iν] is symmetric in its indices,
/// U_ν can be summed over all orderings of each sorted multi-index i1 ≤ … ≤ iν; contracting with the weights then
/// gives coefficients C[e, c, monomial, M] and B[n,c,M] = Σ_monomial C[e(n),c,monomial,M] · monomial(x[n,c,:]).
/// Only monomials with a non-zero coefficient are kept, so the work is a gather of products and one batched matrix
/// product per element. Equal to <see cref="DenseSymmetricContraction"/> up to round-off.
/// </summary>
public sealed class SparseSymmetricContraction : ISymmetricContraction
{
    private readonly int _channels, _outDim;
    // Monomials by degree: degree 1 are the features themselves; degree k+1 = (a monomial of degree k) × x[last].
    private readonly (Tensor Prefix, Tensor Last)[] _levels;
    private readonly Tensor[] _coefficients; // per element: [channels, monomials, outDim]

    public int OutDim => _outDim;
    public int MonomialCount { get; }

    public SparseSymmetricContraction(SymmetricContractionWeights c, TensorOptions options)
    {
        _channels = c.Channels; _outDim = c.OutDim;
        int d = c.FeatureDim, nuMax = c.Correlation;

        // Symmetrised U per degree: sorted multi-index → [outDim, K_ν].
        var symmetrised = new List<Dictionary<string, (int[] Index, double[] Values)>>();
        double maxAbs = c.U.SelectMany(u => u).Select(Math.Abs).DefaultIfEmpty(0).Max();
        double threshold = 1e-13 * maxAbs;
        for (int nu = 1; nu <= nuMax; nu++)
        {
            int k = c.Paths(nu);
            var u = c.U[nu - 1];
            var map = new Dictionary<string, (int[], double[])>();
            int tuples = (int)Math.Pow(d, nu);
            var index = new int[nu];
            for (int t = 0; t < tuples; t++)
            {
                for (int r = nu - 1, rest = t; r >= 0; r--) { index[r] = rest % d; rest /= d; }
                var sortedIndex = index.Order().ToArray();
                string key = string.Join(",", sortedIndex);
                for (int m = 0; m < _outDim; m++)
                    for (int p = 0; p < k; p++)
                    {
                        double v = u[((long)m * tuples + t) * k + p];
                        if (v == 0) continue;
                        if (!map.TryGetValue(key, out var entry)) { entry = (sortedIndex, new double[_outDim * k]); map[key] = entry; }
                        entry.Item2[m * k + p] += v;
                    }
            }
            // Drop monomials whose symmetrised coefficients cancel to round-off.
            foreach (var key in map.Where(kv => kv.Value.Item2.All(v => Math.Abs(v) <= threshold)).Select(kv => kv.Key).ToList()) map.Remove(key);
            symmetrised.Add(map);
        }

        // Monomial lists per degree, closed under taking prefixes (the first ν−1 sorted indices).
        var levels = new List<List<int[]>>();
        for (int nu = 1; nu <= nuMax; nu++) levels.Add([]);
        var needed = new HashSet<string>[nuMax];
        for (int nu = 0; nu < nuMax; nu++) needed[nu] = [];
        for (int nu = nuMax; nu >= 1; nu--)
        {
            foreach (var (_, (index, _)) in symmetrised[nu - 1]) needed[nu - 1].Add(string.Join(",", index));
            if (nu > 1) foreach (var key in needed[nu - 1]) needed[nu - 2].Add(string.Join(",", key.Split(',').SkipLast(1)));
        }
        var position = new List<Dictionary<string, int>>();
        for (int nu = 1; nu <= nuMax; nu++)
        {
            var list = needed[nu - 1].Select(k => k.Split(',').Select(int.Parse).ToArray())
                .OrderBy(ix => ix, Comparer<int[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
            levels[nu - 1] = list;
            position.Add(list.Select((ix, n) => (string.Join(",", ix), n)).ToDictionary(t => t.Item1, t => t.n));
        }
        _levels = new (Tensor, Tensor)[nuMax];
        for (int nu = 1; nu <= nuMax; nu++)
        {
            var list = levels[nu - 1];
            var prefix = list.Select(ix => nu == 1 ? ix[0] : position[nu - 2][string.Join(",", ix.SkipLast(1))]).ToArray();
            var last = list.Select(ix => ix[^1]).ToArray();
            _levels[nu - 1] = (options.Indices(prefix), options.Indices(last));
        }
        MonomialCount = levels.Sum(l => l.Count);

        // Coefficients: C[e, c, monomial, M] = Σ_k Usym[M, monomial, k] W[e, k, c].
        _coefficients = new Tensor[c.Elements];
        for (int e = 0; e < c.Elements; e++)
        {
            var coefficient = new double[_channels * MonomialCount * _outDim];
            int start = 0;
            for (int nu = 1; nu <= nuMax; nu++)
            {
                int k = c.Paths(nu);
                var w = c.W[nu - 1];
                foreach (var (key, (_, values)) in symmetrised[nu - 1])
                {
                    int mono = start + position[nu - 1][key];
                    for (int m = 0; m < _outDim; m++)
                        for (int p = 0; p < k; p++)
                        {
                            double u = values[m * k + p];
                            if (u == 0) continue;
                            int wRow = (e * k + p) * _channels;
                            for (int ch = 0; ch < _channels; ch++)
                                coefficient[(ch * MonomialCount + mono) * _outDim + m] += u * w[wRow + ch];
                        }
                }
                start += levels[nu - 1].Count;
            }
            _coefficients[e] = options.Make(coefficient, _channels, MonomialCount, _outDim);
        }
    }

    public Tensor Forward(Tensor x, Tensor elements) => Forward(x, ElementGroups.From(elements));

    /// <summary>x: [N, channels, d] → [N, channels·(2L+1)].</summary>
    public Tensor Forward(Tensor x, ElementGroups groups) => ForwardChannelsLast(x.transpose(1, 2).contiguous(), groups);

    /// <summary>
    /// x: [N, d, channels] (channels last, so that gathering a feature index copies a contiguous row)
    /// → [N, channels·(2L+1)].
    /// </summary>
    public Tensor ForwardChannelsLast(Tensor x, ElementGroups groups)
    {
        long n = x.shape[0];
        var degrees = new Tensor[_levels.Length];
        degrees[0] = x.index_select(1, _levels[0].Last);
        for (int k = 1; k < _levels.Length; k++)
            degrees[k] = degrees[k - 1].index_select(1, _levels[k].Prefix) * x.index_select(1, _levels[k].Last);
        var monomials = (degrees.Length == 1 ? degrees[0] : cat(degrees, 1)).permute(2, 0, 1); // [c, N, monomials]
        if (groups.Single is int only)
            return monomials.bmm(_coefficients[only]).transpose(0, 1).reshape(n, -1);
        var result = zeros(n, _channels, _outDim, dtype: x.dtype, device: x.device);
        foreach (var (element, nodes) in groups.Groups)
        {
            var part = monomials.index_select(1, nodes).bmm(_coefficients[element]).transpose(0, 1); // [n_e, c, M]
            result = result.index_add(0, nodes, part, 1.0);
        }
        return result.reshape(n, -1);
    }
}

/// <summary>The nodes of each element, so that per-element work runs as one dense operation per element.</summary>
public sealed class ElementGroups
{
    public required IReadOnlyList<(int Element, Tensor Nodes)> Groups { get; init; }
    /// <summary>The element when all nodes share it.</summary>
    public int? Single { get; init; }

    public static ElementGroups From(Tensor elements)
    {
        var values = elements.cpu().data<long>().ToArray();
        return From(values.Select(v => (int)v).ToArray(), elements.device);
    }

    public static ElementGroups From(int[] elements, Device device)
    {
        var distinct = elements.Distinct().Order().ToArray();
        var groups = distinct.Select(e => (e, tensor(Enumerable.Range(0, elements.Length).Where(i => elements[i] == e).Select(i => (long)i).ToArray(), ScalarType.Int64).to(device))).ToList();
        return new ElementGroups { Groups = groups, Single = distinct.Length == 1 ? distinct[0] : null };
    }
}
