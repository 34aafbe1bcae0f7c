using MDEngine.ML.E3nn;
using static TorchSharp.torch;

namespace MDEngine.ML.Mace;

/// <summary>
/// The symmetric contraction collapsed, per element, onto the distinct monomials of the node features
/// (the approach of the C++ "symmetrix" evaluator). Because the product x[i1]···x[iν] is symmetric in its indices,
/// U_ν can be summed over all orderings of each sorted multi-index i1 ≤ … ≤ iν; contracting with the weights then
/// gives coefficients C[e, c, monomial, M] and B[n,c,M] = Σ_monomial C[e(n),c,monomial,M] · monomial(x[n,c,:]).
/// Only monomials with a non-zero coefficient are kept. All output irreps of one product share the monomials, so they
/// are evaluated together: a gather of products and one batched matrix product per element.
/// Equal to <see cref="DenseSymmetricContraction"/> up to round-off.
/// </summary>
public sealed class SparseSymmetricContraction : ISymmetricContraction
{
    private readonly int _channels;
    private readonly int[] _outDims;
    private readonly int _totalOut;
    // Monomials by degree: degree 1 are the features themselves; degree k+1 = (a monomial of degree k) × x[last].
    private readonly (Tensor Prefix, Tensor Last)[] _levels;
    private readonly Tensor[] _coefficients; // per element: [channels, monomials, Σ outDim]
    private readonly object? _kernel;         // SymmetricContractionKernel<float or double> for the CPU, by dtype

    public int OutDim => _totalOut;
    public int MonomialCount { get; }

    public SparseSymmetricContraction(SymmetricContractionWeights c, TensorOptions options) : this([c], options) { }

    /// <summary>The contractions of one product (one per output irrep, same features, channels and elements);
    /// the output is their concatenation, each channel-major as in mace-torch.</summary>
    public SparseSymmetricContraction(IReadOnlyList<SymmetricContractionWeights> contractions, TensorOptions options)
    {
        var first = contractions[0];
        if (contractions.Any(c => c.Channels != first.Channels || c.FeatureDim != first.FeatureDim || c.Elements != first.Elements))
            throw new ArgumentException("contractions evaluated together must share features, channels and elements");
        _channels = first.Channels;
        _outDims = contractions.Select(c => c.OutDim).ToArray();
        _totalOut = _outDims.Sum();
        int d = first.FeatureDim, nuMax = contractions.Max(c => c.Correlation);

        // Symmetrised U per contraction and degree: sorted multi-index → [outDim, K_ν].
        var symmetrised = contractions.Select(c => Symmetrise(c)).ToArray();

        // Monomial lists per degree, closed under taking prefixes (the first ν−1 sorted indices).
        var needed = new HashSet<string>[nuMax];
        for (int nu = 0; nu < nuMax; nu++) needed[nu] = [];
        for (int nu = nuMax; nu >= 1; nu--)
        {
            foreach (var map in symmetrised)
                if (nu <= map.Count) foreach (var key in map[nu - 1].Keys) needed[nu - 1].Add(key);
            if (nu > 1) foreach (var key in needed[nu - 1]) needed[nu - 2].Add(string.Join(",", key.Split(',').SkipLast(1)));
        }
        var levels = new List<List<int[]>>();
        var position = new List<Dictionary<string, int>>();
        for (int nu = 1; nu <= nuMax; nu++)
        {
            var list = needed[nu - 1].Select(k => k.Split(',').Select(int.Parse).ToArray())
                .OrderBy(ix => ix, Comparer<int[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
            levels.Add(list);
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
        var levelStart = new int[nuMax];
        for (int nu = 1; nu < nuMax; nu++) levelStart[nu] = levelStart[nu - 1] + levels[nu - 1].Count;
        // The same monomials as one list for the CPU kernel: prefix as a global monomial index (−1: a feature).
        var monomialPrefix = new int[MonomialCount];
        var monomialLast = new int[MonomialCount];
        for (int nu = 1; nu <= nuMax; nu++)
            for (int k = 0; k < levels[nu - 1].Count; k++)
            {
                var ix = levels[nu - 1][k];
                monomialPrefix[levelStart[nu - 1] + k] = nu == 1 ? -1 : levelStart[nu - 2] + position[nu - 2][string.Join(",", ix.SkipLast(1))];
                monomialLast[levelStart[nu - 1] + k] = ix[^1];
            }
        var hostCoefficients = new double[first.Elements][];

        // Coefficients: C[e, c, monomial, M] = Σ_k Usym[M, monomial, k] W[e, k, c].
        _coefficients = new Tensor[first.Elements];
        for (int e = 0; e < first.Elements; e++)
        {
            var coefficient = new double[_channels * MonomialCount * _totalOut];
            int column = 0;
            for (int j = 0; j < contractions.Count; j++)
            {
                var c = contractions[j];
                for (int nu = 1; nu <= c.Correlation; nu++)
                {
                    int k = c.Paths(nu);
                    var w = c.W[nu - 1];
                    foreach (var (key, values) in symmetrised[j][nu - 1])
                    {
                        int mono = levelStart[nu - 1] + position[nu - 1][key];
                        for (int m = 0; m < c.OutDim; m++)
                            for (int p = 0; p < k; p++)
                            {
                                double u = values[m * k + p];
                                if (u == 0) continue;
                                int wRow = (e * k + p) * _channels;
                                for (int ch = 0; ch < _channels; ch++)
                                    coefficient[(ch * MonomialCount + mono) * _totalOut + column + m] += u * w[wRow + ch];
                            }
                    }
                }
                column += c.OutDim;
            }
            _coefficients[e] = options.Make(coefficient, _channels, MonomialCount, _totalOut);
            hostCoefficients[e] = coefficient;
        }
        _kernel = options.DType switch
        {
            ScalarType.Float32 => new SymmetricContractionKernel<float>(d, _channels, _totalOut, monomialPrefix, monomialLast, hostCoefficients),
            ScalarType.Float64 => new SymmetricContractionKernel<double>(d, _channels, _totalOut, monomialPrefix, monomialLast, hostCoefficients),
            _ => null,
        };
    }

    /// <summary>U_ν summed over the orderings of each sorted multi-index, per degree ν: key "i1,i2,…" → [outDim·K_ν];
    /// monomials whose sums cancel to round-off are dropped.</summary>
    private static List<Dictionary<string, double[]>> Symmetrise(SymmetricContractionWeights c)
    {
        int d = c.FeatureDim, outDim = c.OutDim;
        double maxAbs = c.U.SelectMany(u => u).Select(Math.Abs).DefaultIfEmpty(0).Max();
        double threshold = 1e-13 * maxAbs;
        var result = new List<Dictionary<string, double[]>>();
        for (int nu = 1; nu <= c.Correlation; nu++)
        {
            int k = c.Paths(nu);
            var u = c.U[nu - 1];
            var map = new Dictionary<string, double[]>();
            int tuples = (int)Math.Pow(d, nu);
            var index = new int[nu];
            for (int t = 0; t < tuples; t++)
            {
                for (int r = nu - 1, rest = t; r >= 0; r--) { index[r] = rest % d; rest /= d; }
                string key = string.Join(",", index.Order());
                for (int m = 0; m < outDim; m++)
                    for (int p = 0; p < k; p++)
                    {
                        double v = u[((long)m * tuples + t) * k + p];
                        if (v == 0) continue;
                        if (!map.TryGetValue(key, out var entry)) { entry = new double[outDim * k]; map[key] = entry; }
                        entry[m * k + p] += v;
                    }
            }
            foreach (var key in map.Where(kv => kv.Value.All(v => Math.Abs(v) <= threshold)).Select(kv => kv.Key).ToList()) map.Remove(key);
            result.Add(map);
        }
        return result;
    }

    public Tensor Forward(Tensor x, Tensor elements) => Forward(x, ElementGroups.From(elements));

    /// <summary>x: [N, channels, d] → [N, Σ channels·(2L+1)].</summary>
    public Tensor Forward(Tensor x, ElementGroups groups) => ForwardChannelsLast(x.transpose(1, 2).contiguous(), groups);

    /// <summary>
    /// x: [N, d, channels] (channels last, so that gathering a feature index copies a contiguous row)
    /// → [N, Σ channels·(2L+1)].
    /// </summary>
    public Tensor ForwardChannelsLast(Tensor x, ElementGroups groups)
    {
        long n = x.shape[0];
        if (_kernel is not null && x.device_type == TorchSharp.DeviceType.CPU)
            return Split(SymmetricContractionFunction.apply(x.contiguous(), _kernel, groups.Elements).transpose(1, 2), n);
        var degrees = new Tensor[_levels.Length];
        degrees[0] = x.index_select(1, _levels[0].Last);
        for (int k = 1; k < _levels.Length; k++)
            degrees[k] = degrees[k - 1].index_select(1, _levels[k].Prefix) * x.index_select(1, _levels[k].Last);
        var monomials = (degrees.Length == 1 ? degrees[0] : cat(degrees, 1)).permute(2, 0, 1); // [c, N, monomials]
        Tensor result;
        if (groups.Single is int only)
            result = monomials.bmm(_coefficients[only]).transpose(0, 1); // [N, c, Σ M]
        else
        {
            result = zeros(n, _channels, _totalOut, dtype: x.dtype, device: x.device);
            foreach (var (element, nodes) in groups.Groups)
                result = result.index_add(0, nodes, monomials.index_select(1, nodes).bmm(_coefficients[element]).transpose(0, 1), 1.0);
        }
        return Split(result, n);
    }

    /// <summary>
    /// The CPU kernel's own output, without autograd (the model's channels-last layers write their reverse pass out):
    /// x [N, d, channels], contiguous → channels-last [N, Σ(2L+1), channels], the contractions' rows one after the
    /// other (<see cref="E3nn.ChannelsLast"/>); CPU, float32 or float64.
    /// </summary>
    internal Tensor ForwardRecorded(Tensor x, ElementGroups groups) =>
        _kernel is not null && x.device_type == TorchSharp.DeviceType.CPU
            ? SymmetricContractionFunction.Forward(_kernel, x, groups.Elements)
            : throw new InvalidOperationException("channels-last contraction rows come from the CPU kernel, which serves float32 and float64 on the CPU");

    /// <summary>∂L/∂x from ∂L/∂y for <see cref="ForwardRecorded"/>.</summary>
    internal Tensor Reverse(Tensor x, ElementGroups groups, Tensor gy) => SymmetricContractionFunction.Backward(_kernel!, x, groups.Elements, gy);

    /// <summary>[N, c, Σ M] → the contractions' outputs one after the other, each channel-major.</summary>
    private Tensor Split(Tensor result, long n)
    {
        if (_outDims.Length == 1) return result.reshape(n, -1);
        // One split (see Irreps.Blocks for why not narrows).
        return cat(result.split(_outDims.Select(d => (long)d).ToArray(), 2).Select(part => part.reshape(n, -1)).ToArray(), 1);
    }
}

/// <summary>The nodes of each element, so that per-element work runs as one dense operation per element.</summary>
public sealed class ElementGroups
{
    public required IReadOnlyList<(int Element, Tensor Nodes)> Groups { get; init; }
    /// <summary>The element when all nodes share it.</summary>
    public int? Single { get; init; }
    /// <summary>The element of every node.</summary>
    public required int[] Elements { get; init; }

    /// <summary>The groups of the nodes [start, start + length), numbered from 0 (the whole when it is all of them).</summary>
    public ElementGroups Range(int start, int length)
    {
        if (start == 0 && length == Elements.Length) return this;
        if (Single is int only) return new ElementGroups { Groups = [(only, arange(length, dtype: ScalarType.Int64, device: Groups[0].Nodes.device).DetachFromDisposeScope())], Single = only, Elements = Elements[start..(start + length)] };
        return From(Elements[start..(start + length)], Groups[0].Nodes.device);
    }

    public static ElementGroups From(Tensor elements)
    {
        var values = elements.cpu().data<long>().ToArray();
        return From(values.Select(v => (int)v).ToArray(), elements.device);
    }

    public static ElementGroups From(int[] elements, Device device)
    {
        var distinct = elements.Distinct().Order().ToArray();
        // Detached from any dispose scope: a reverse pass may read the groups after the scope of their forward pass.
        var groups = distinct.Select(e => (e, tensor(Enumerable.Range(0, elements.Length).Where(i => elements[i] == e).Select(i => (long)i).ToArray(), ScalarType.Int64).to(device).DetachFromDisposeScope())).ToList();
        return new ElementGroups { Groups = groups, Single = distinct.Length == 1 ? distinct[0] : null, Elements = elements };
    }
}
