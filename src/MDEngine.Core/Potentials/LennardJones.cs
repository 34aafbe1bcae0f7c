using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials.Pair;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>
/// Lennard-Jones, φ(r) = 4ε[(σ/r)¹² − (σ/r)⁶] for r &lt; r_c, as LAMMPS's <c>lj/cut</c>; with <c>shift</c> each pair is
/// shifted by −φ(r_c) (LAMMPS's <c>pair_modify shift yes</c>), so the energy is continuous at the cutoff.
/// One parameter set for every element, or a table per species pair (explicit or by a mixing rule).
/// </summary>
public sealed class LennardJones : Potential
{
    private readonly SpeciesMap _species;
    private readonly double[] _lj1, _lj2, _offset, _cutoffSquared; // lj1 = 4εσ¹², lj2 = 4εσ⁶ per type pair
    private readonly string _name;

    /// <summary>Parameters of one species pair (or of one element when used with a mixing rule).</summary>
    public readonly record struct Parameters(double Epsilon, double Sigma, double? Cutoff = null);

    /// <summary>One parameter set for all elements.</summary>
    public LennardJones(double epsilon, double sigma, double cutoff, bool shift = false)
        : this(SpeciesMap.Any(), (_, _) => new Parameters(epsilon, sigma, cutoff), cutoff, shift,
            FormattableString.Invariant($"lj:epsilon={epsilon},sigma={sigma},cutoff={cutoff}{(shift ? ",shift=true" : "")}"))
    {
        Epsilon = epsilon; Sigma = sigma;
    }

    private LennardJones(SpeciesMap species, Func<int, int, Parameters> pair, double cutoff, bool shift, string name)
    {
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), "The cutoff must be positive.");
        _species = species; _name = name; Shift = shift;
        int n = species.Count;
        var p = new Parameters[n * n];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) p[a * n + b] = pair(a, b);
        _lj1 = p.Select(q => 4 * q.Epsilon * Math.Pow(q.Sigma, 12)).ToArray();
        _lj2 = p.Select(q => 4 * q.Epsilon * Math.Pow(q.Sigma, 6)).ToArray();
        var rc = p.Select(q => q.Cutoff ?? cutoff).ToArray();
        _cutoffSquared = rc.Select(c => c * c).ToArray();
        _offset = shift ? p.Select((q, k) => 4 * q.Epsilon * (Math.Pow(q.Sigma / rc[k], 12) - Math.Pow(q.Sigma / rc[k], 6))).ToArray() : new double[n * n];
        Cutoff = rc.Max();
    }

    /// <summary>Per-element parameters combined by a mixing rule for unlike pairs.</summary>
    public static LennardJones Mixed(IReadOnlyDictionary<int, Parameters> perElement, double cutoff, MixingRule rule = MixingRule.Geometric, bool shift = false)
    {
        var z = perElement.Keys.Order().ToArray();
        return new LennardJones(new SpeciesMap(z), (a, b) =>
        {
            var (pa, pb) = (perElement[z[a]], perElement[z[b]]);
            double sigma = rule == MixingRule.Geometric ? Math.Sqrt(pa.Sigma * pb.Sigma) : 0.5 * (pa.Sigma + pb.Sigma);
            double? rc = pa.Cutoff is null || pb.Cutoff is null ? null : rule == MixingRule.Geometric ? Math.Sqrt(pa.Cutoff.Value * pb.Cutoff.Value) : 0.5 * (pa.Cutoff.Value + pb.Cutoff.Value);
            return new Parameters(Math.Sqrt(pa.Epsilon * pb.Epsilon), sigma, rc);
        }, cutoff, shift, $"lj({string.Join(",", z.Select(x => Element.FromZ(x).Symbol))})");
    }

    /// <summary>An explicit table: every pair of the listed elements must be given (in either order).</summary>
    public static LennardJones FromPairs(IReadOnlyDictionary<(int Zi, int Zj), Parameters> pairs, double cutoff, bool shift = false)
    {
        var z = pairs.Keys.SelectMany(k => new[] { k.Zi, k.Zj }).Distinct().Order().ToArray();
        return new LennardJones(new SpeciesMap(z), (a, b) =>
            pairs.TryGetValue((z[a], z[b]), out var q) || pairs.TryGetValue((z[b], z[a]), out q) ? q
                : throw new ArgumentException($"No Lennard-Jones parameters for {Element.FromZ(z[a]).Symbol}-{Element.FromZ(z[b]).Symbol}."),
            cutoff, shift, $"lj({string.Join(",", z.Select(x => Element.FromZ(x).Symbol))})");
    }

    public double Epsilon { get; }
    public double Sigma { get; }
    public bool Shift { get; }
    public override string Name => _name;
    public override double Cutoff { get; }
    public override IReadOnlySet<int>? Elements => _species.Elements;

    public override void Compute(PotentialBatch batch) => batch.ComputeEach((s, neighbors, what, forces) =>
        PairSum.RunVectorized(new Kernel(_lj1, _lj2, _offset, _cutoffSquared), s, neighbors, what, _species.TypesOf(s, Name), _species.Count, forces));

    private readonly unsafe struct Kernel(double[] lj1, double[] lj2, double[] offset, double[] cutoffSquared) : IVectorPairKernel
    {
        public bool BranchFree => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double CutoffSquared(int typePair) => cutoffSquared[typePair];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Evaluate(int typePair, double r2, out double energy, out double derivativeOverR)
        {
            double inv2 = 1.0 / r2, inv6 = inv2 * inv2 * inv2;
            double a = lj1[typePair] * inv6 * inv6, b = lj2[typePair] * inv6; // 4εσ¹²/r¹², 4εσ⁶/r⁶
            energy = a - b - offset[typePair];
            derivativeOverR = (6 * b - 12 * a) * inv2;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> CutoffSquared(Vector128<int> typePairs) => Parameter(cutoffSquared, typePairs);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Evaluate(Vector128<int> typePairs, Vector256<double> r2, out Vector256<double> energy, out Vector256<double> derivativeOverR)
        {
            var inv2 = Vector256<double>.One / r2;
            var inv6 = inv2 * inv2 * inv2;
            var a = Parameter(lj1, typePairs) * inv6 * inv6;
            var b = Parameter(lj2, typePairs) * inv6;
            energy = a - b - Parameter(offset, typePairs);
            derivativeOverR = (Vector256.Create(6.0) * b - Vector256.Create(12.0) * a) * inv2;
        }

        /// <summary>A per-type-pair parameter for four lanes: one value when there is one type pair.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Parameter(double[] table, Vector128<int> typePairs)
        {
            if (table.Length == 1) return Vector256.Create(table[0]);
            fixed (double* t = table) return Avx2.GatherVector256(t, typePairs, 8);
        }
    }
}
