using System.Runtime.CompilerServices;
using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Potentials.Pair;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>
/// Morse, φ(r) = D[e^{−2α(r−r₀)} − 2e^{−α(r−r₀)}] for r &lt; r_c (LAMMPS's <c>pair_style morse</c>, whose D0 is D),
/// optionally shifted by −φ(r_c). One parameter set for every element.
/// </summary>
public sealed class Morse(double d, double alpha, double r0, double cutoff, bool shift = false) : Potential
{
    private readonly double _offset = shift ? d * (Math.Exp(-2 * alpha * (cutoff - r0)) - 2 * Math.Exp(-alpha * (cutoff - r0))) : 0;

    public double D { get; } = d;
    public double Alpha { get; } = alpha;
    public double R0 { get; } = r0;
    public bool Shift { get; } = shift;
    public override double Cutoff { get; } = cutoff > 0 ? cutoff : throw new ArgumentOutOfRangeException(nameof(cutoff), "The cutoff must be positive.");
    public override string Name => FormattableString.Invariant($"morse:D={D},alpha={Alpha},r0={R0},cutoff={Cutoff}{(Shift ? ",shift=true" : "")}");

    public override void Compute(PotentialBatch batch) => batch.ComputeEach((s, neighbors, what, forces) =>
        PairSum.Run(new Kernel(D, Alpha, R0, Cutoff * Cutoff, _offset), s, neighbors, what, new int[s.Count], 1, forces));

    private readonly struct Kernel(double d, double alpha, double r0, double cutoffSquared, double offset) : IPairKernel
    {
        public bool BranchFree => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double CutoffSquared(int typePair) => cutoffSquared;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Evaluate(int typePair, double r2, out double energy, out double derivativeOverR)
        {
            double r = Math.Sqrt(r2);
            double x = Math.Exp(-alpha * (r - r0));
            energy = d * (x * x - 2 * x) - offset;
            derivativeOverR = 2 * alpha * d * (x - x * x) / r;
        }
    }
}
