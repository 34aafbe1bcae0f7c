using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials.ThreeBody;

/// <summary>
/// Tersoff (PRB 37, 6991 (1988); PRB 39, 5566 (1989)) in LAMMPS's <c>pair_style tersoff</c> form and file format
/// (element1 element2 element3 m γ λ₃ c d cosθ₀ n β λ₂ B R D λ₁ A):
/// E = ½ Σ_i Σ_{j≠i} f_c(r_ij) [A e^{−λ₁ r_ij} − b_ij B e^{−λ₂ r_ij}], with
/// b_ij = (1 + (β ζ_ij)^n)^{−1/2n}, ζ_ij = Σ_{k≠i,j} f_c(r_ik) g(θ_ijk) exp[(λ₃ (r_ij − r_ik))^m],
/// g(θ) = γ (1 + c²/d² − c²/(d² + (cosθ₀ − cosθ)²)), f_c = ½ − ½ sin(π/2 (r − R)/D) for |r − R| &lt; D.
/// Pair terms use entry (i,j,j), ζ terms entry (i,j,k); b_ij uses LAMMPS's asymptotic forms for very large or small
/// βζ. Full neighbor list; threaded over atoms.
/// </summary>
public sealed class Tersoff : Potential
{
    private readonly SpeciesMap _species;
    private readonly int _n;
    private readonly Param[] _p;
    private readonly string _name;

    private sealed class Param
    {
        public int M; public double Gamma, Lam3, C2, D2, H, PowerN, Beta, Lam2, B, R, D, Lam1, A, Cut;
        public double C1, Cc2, C3, C4;
    }

    /// <summary>One entry of a LAMMPS .tersoff file.</summary>
    public readonly record struct TersoffParameters(double M, double Gamma, double Lambda3, double C, double D, double CosTheta0,
        double N, double Beta, double Lambda2, double B, double R, double CutoffWidth, double Lambda1, double A);

    public Tersoff(IReadOnlyList<int> species, Func<int, int, int, TersoffParameters> parameters, string name)
    {
        _species = new SpeciesMap(species); _name = name; _n = species.Count;
        _p = new Param[_n * _n * _n];
        for (int i = 0; i < _n; i++)
            for (int j = 0; j < _n; j++)
                for (int k = 0; k < _n; k++)
                {
                    var q = parameters(i, j, k);
                    int m = (int)q.M;
                    if ((m != 3 && m != 1) || q.Gamma < 0 || q.C < 0 || q.D < 0 || q.N < 0 || q.Beta < 0 || q.Lambda2 < 0 || q.B < 0 ||
                        q.R < 0 || q.CutoffWidth < 0 || q.CutoffWidth > q.R || q.Lambda1 < 0 || q.A < 0)
                        throw new ArgumentException($"Invalid Tersoff parameters for triplet ({i},{j},{k}) (m must be 1 or 3, the others non-negative, D ≤ R).");
                    var p = new Param
                    {
                        M = m, Gamma = q.Gamma, Lam3 = q.Lambda3, C2 = q.C * q.C, D2 = q.D * q.D, H = q.CosTheta0, PowerN = q.N, Beta = q.Beta,
                        Lam2 = q.Lambda2, B = q.B, R = q.R, D = q.CutoffWidth, Lam1 = q.Lambda1, A = q.A, Cut = q.R + q.CutoffWidth,
                    };
                    // Where βζ leaves the range in which (1 + (βζ)^n)^(−1/2n) is computed directly (LAMMPS's thresholds).
                    if (q.N > 0)
                    {
                        p.C1 = Math.Pow(2.0 * q.N * 1.0e-16, -1.0 / q.N);
                        p.Cc2 = Math.Pow(2.0 * q.N * 1.0e-8, -1.0 / q.N);
                        p.C3 = 1.0 / p.Cc2;
                        p.C4 = 1.0 / p.C1;
                    }
                    _p[(i * _n + j) * _n + k] = p;
                }
        Cutoff = _p.Max(p => p.Cut);
    }

    public static Tersoff Read(string path)
    {
        var file = ThreeBodyFile.Read(path);
        int n = file.Species.Length;
        try
        {
            return new Tersoff(file.Species, (i, j, k) =>
            {
                var v = file.Parameters[(i * n + j) * n + k];
                return new TersoffParameters(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]);
            }, path);
        }
        catch (ArgumentException e) { throw new InputException(path, null, e.Message); }
    }

    public override string Name => _name;
    public override double Cutoff { get; }
    public override IReadOnlySet<int>? Elements => _species.Elements;
    public override bool NeedsFullNeighborList => true;

    public override void Compute(PotentialBatch batch) => batch.ComputeEach(ComputeOne);

    private PotentialResult ComputeOne(Structure s, NeighborList list, Quantities what, Vec3[]? forces)
    {
        if (!list.IsFull) throw new ArgumentException("Tersoff needs a full neighbor list.");
        var types = _species.TypesOf(s, Name);
        bool wantStress = what.HasFlag(Quantities.Stress);
        double cutMax = Cutoff;
        using var acc = new ChunkedAccumulator(list, what.HasFlag(Quantities.Forces), what.HasFlag(Quantities.AtomEnergies), forceDestination: forces);
        acc.Run((c, first, end) =>
        {
            var sink = new ChunkSink(acc.Forces?[c], acc.AtomEnergies?[c], wantStress);
            var near = new NeighborScratch();
            int n = _n;
            for (int i = first; i < end; i++)
            {
                int ti = types[i];
                near.Clear();
                for (int p = list.Offsets[i]; p < list.Offsets[i + 1]; p++)
                {
                    double r = list.Distances[p];
                    if (r >= cutMax) continue;
                    near.Add(list.J[p], types[list.J[p]], list.Vectors[p], r);
                }
                for (int a = 0; a < near.Count; a++)
                {
                    int j = near.Atom[a], tj = near.Type[a];
                    var pij = _p[(ti * n + tj) * n + tj];
                    double rij = near.Distance[a];
                    if (rij >= pij.Cut) continue;
                    var dij = near.Vector[a];

                    // Repulsion, half from each direction of the pair.
                    double fc = Fc(rij, pij), dfc = FcDerivative(rij, pij);
                    double ex1 = Math.Exp(-pij.Lam1 * rij);
                    double rep = 0.5 * fc * pij.A * ex1;
                    double drep = 0.5 * pij.A * ex1 * (dfc - pij.Lam1 * fc);
                    sink.AddEnergy(i, 0.5 * rep);
                    sink.AddEnergy(j, 0.5 * rep);

                    // Bond order.
                    double zeta = 0;
                    for (int b = 0; b < near.Count; b++)
                    {
                        if (b == a) continue;
                        var pijk = _p[(ti * n + tj) * n + near.Type[b]];
                        if (near.Distance[b] >= pijk.Cut) continue;
                        zeta += ZetaTerm(pijk, rij, near.Distance[b], dij, near.Vector[b]);
                    }
                    double fa = Fa(rij, pij), dfa = FaDerivative(rij, pij);
                    double bij = Bij(zeta, pij), dbij = BijDerivative(zeta, pij);
                    double att = 0.5 * bij * fa;
                    sink.AddEnergy(i, 0.5 * att);
                    sink.AddEnergy(j, 0.5 * att);
                    sink.Add(i, j, ((drep + 0.5 * bij * dfa) / rij) * dij, dij);

                    // ∂E/∂ζ · ∂ζ/∂d for d = r_ij and each r_ik.
                    double prefactor = 0.5 * fa * dbij;
                    if (prefactor == 0) continue;
                    var gij = Vec3.Zero;
                    for (int b = 0; b < near.Count; b++)
                    {
                        if (b == a) continue;
                        var pijk = _p[(ti * n + tj) * n + near.Type[b]];
                        double rik = near.Distance[b];
                        if (rik >= pijk.Cut) continue;
                        ZetaTermGradient(pijk, rij, rik, dij, near.Vector[b], out var dzij, out var dzik);
                        gij += prefactor * dzij;
                        sink.Add(i, near.Atom[b], prefactor * dzik, near.Vector[b]);
                    }
                    sink.Add(i, j, gij, dij);
                }
            }
            sink.StoreInto(acc, c);
        });
        return acc.Result(s, wantStress, tracksClosestPair: false);
    }

    private static double Fc(double r, Param p)
    {
        if (r < p.R - p.D) return 1.0;
        if (r > p.R + p.D) return 0.0;
        return 0.5 * (1.0 - Math.Sin(0.5 * Math.PI * (r - p.R) / p.D));
    }

    private static double FcDerivative(double r, Param p)
    {
        if (r < p.R - p.D) return 0.0;
        if (r > p.R + p.D) return 0.0;
        return -(0.25 * Math.PI / p.D) * Math.Cos(0.5 * Math.PI * (r - p.R) / p.D);
    }

    private static double Fa(double r, Param p) => r > p.R + p.D ? 0.0 : -p.B * Math.Exp(-p.Lam2 * r) * Fc(r, p);

    private static double FaDerivative(double r, Param p) =>
        r > p.R + p.D ? 0.0 : p.B * Math.Exp(-p.Lam2 * r) * (p.Lam2 * Fc(r, p) - FcDerivative(r, p));

    private static double G(double cos, Param p)
    {
        double h = p.H - cos;
        return p.Gamma * (1.0 + p.C2 / p.D2 - p.C2 / (p.D2 + h * h));
    }

    private static double GDerivative(double cos, Param p)
    {
        double h = p.H - cos;
        double inv = 1.0 / (p.D2 + h * h);
        return -2.0 * p.Gamma * p.C2 * h * inv * inv;
    }

    /// <summary>exp[(λ₃(r_ij − r_ik))^m], clamped as LAMMPS clamps it, and its derivative with respect to r_ij − r_ik.</summary>
    private static (double Value, double Derivative) RadialExp(Param p, double delta)
    {
        double arg = p.M == 3 ? Math.Pow(p.Lam3 * delta, 3) : p.Lam3 * delta;
        double ex = arg > 69.0776 ? 1.0e30 : arg < -69.0776 ? 0.0 : Math.Exp(arg);
        double d = p.M == 3 ? 3.0 * p.Lam3 * p.Lam3 * p.Lam3 * delta * delta * ex : p.Lam3 * ex;
        return (ex, d);
    }

    private static double ZetaTerm(Param p, double rij, double rik, Vec3 dij, Vec3 dik)
    {
        double cos = dij.Dot(dik) / (rij * rik);
        return Fc(rik, p) * G(cos, p) * RadialExp(p, rij - rik).Value;
    }

    private static void ZetaTermGradient(Param p, double rij, double rik, Vec3 dij, Vec3 dik, out Vec3 dij_, out Vec3 dik_)
    {
        double invij = 1.0 / rij, invik = 1.0 / rik;
        double cos = dij.Dot(dik) * invij * invik;
        double fc = Fc(rik, p), dfc = FcDerivative(rik, p);
        double g = G(cos, p), dg = GDerivative(cos, p);
        var (ex, dex) = RadialExp(p, rij - rik);
        // ∂cos/∂d_ij = d_ik/(r_ij r_ik) − cos d_ij/r_ij², and the same with ij ↔ ik.
        var dcosij = (invij * invik) * dik - (cos * invij * invij) * dij;
        var dcosik = (invij * invik) * dij - (cos * invik * invik) * dik;
        dij_ = (fc * dg * ex) * dcosij + (fc * g * dex * invij) * dij;
        dik_ = (fc * dg * ex) * dcosik + ((dfc * g * ex - fc * g * dex) * invik) * dik;
    }

    private static double Bij(double zeta, Param p)
    {
        double t = p.Beta * zeta;
        double n = p.PowerN;
        if (t > p.C1) return 1.0 / Math.Sqrt(t);
        if (t > p.Cc2) return (1.0 - Math.Pow(t, -n) / (2.0 * n)) / Math.Sqrt(t);
        if (t < p.C4) return 1.0;
        if (t < p.C3) return 1.0 - Math.Pow(t, n) / (2.0 * n);
        return Math.Pow(1.0 + Math.Pow(t, n), -1.0 / (2.0 * n));
    }

    private static double BijDerivative(double zeta, Param p)
    {
        double t = p.Beta * zeta;
        double n = p.PowerN;
        if (t > p.C1) return p.Beta * -0.5 * Math.Pow(t, -1.5);
        if (t > p.Cc2) return p.Beta * (-0.5 * Math.Pow(t, -1.5) * (1.0 - (1.0 + 1.0 / (2.0 * n)) * Math.Pow(t, -n)));
        if (t < p.C4) return 0.0;
        if (t < p.C3) return -0.5 * p.Beta * Math.Pow(t, n - 1.0);
        double tn = Math.Pow(t, n);
        return -0.5 * Math.Pow(1.0 + tn, -1.0 - 1.0 / (2.0 * n)) * tn / zeta;
    }
}
