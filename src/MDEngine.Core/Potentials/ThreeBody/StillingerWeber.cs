using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials.ThreeBody;

/// <summary>
/// Stillinger–Weber (PRB 31, 5262 (1985)) in LAMMPS's <c>pair_style sw</c> form and file format
/// (element1 element2 element3 ε σ a λ γ cosθ₀ A B p q tol):
/// E = Σ_{i&lt;j} φ₂(r_ij) + Σ_i Σ_{j&lt;k} φ₃, with
/// φ₂ = A ε [B (σ/r)^p − (σ/r)^q] exp(σ/(r − aσ)) from entry (i,j,j), and
/// φ₃ = λ_ijk ε_ijk (cosθ_jik − cosθ₀_ijk)² exp(γ_ij σ_ij/(r_ij − a_ij σ_ij)) exp(γ_ik σ_ik/(r_ik − a_ik σ_ik)).
/// Full neighbor list; threaded over atoms.
/// </summary>
public sealed class StillingerWeber : Potential
{
    private readonly SpeciesMap _species;
    private readonly int _n;
    // Per triplet (i,j,k): ε, σ, a, λ, γ, cosθ₀, A, B, p, q and the cutoff aσ.
    private readonly double[] _eps, _sigma, _cut, _lambdaEps, _gammaSigma, _cos0, _a, _b, _p, _q;
    private readonly string _name;

    public StillingerWeber(IReadOnlyList<int> species, Func<int, int, int, SwParameters> parameters, string name)
    {
        _species = new SpeciesMap(species); _name = name; _n = species.Count;
        int t = _n * _n * _n;
        _eps = new double[t]; _sigma = new double[t]; _cut = new double[t]; _lambdaEps = new double[t]; _gammaSigma = new double[t];
        _cos0 = new double[t]; _a = new double[t]; _b = new double[t]; _p = new double[t]; _q = new double[t];
        for (int i = 0; i < _n; i++)
            for (int j = 0; j < _n; j++)
                for (int k = 0; k < _n; k++)
                {
                    int x = (i * _n + j) * _n + k;
                    var q = parameters(i, j, k);
                    if (!(q.Epsilon >= 0 && q.Sigma > 0 && q.A > 0 && q.Lambda >= 0 && q.Gamma >= 0 && q.BigA >= 0 && q.BigB >= 0 && q.P >= 0 && q.Q >= 0))
                        throw new ArgumentException($"Invalid Stillinger-Weber parameters for triplet ({i},{j},{k}).");
                    _eps[x] = q.Epsilon; _sigma[x] = q.Sigma; _cut[x] = q.A * q.Sigma; _lambdaEps[x] = q.Lambda * q.Epsilon;
                    _gammaSigma[x] = q.Gamma * q.Sigma; _cos0[x] = q.CosTheta0; _a[x] = q.BigA; _b[x] = q.BigB; _p[x] = q.P; _q[x] = q.Q;
                }
        Cutoff = _cut.Max();
    }

    /// <summary>One entry of a LAMMPS .sw file.</summary>
    public readonly record struct SwParameters(double Epsilon, double Sigma, double A, double Lambda, double Gamma, double CosTheta0,
        double BigA, double BigB, double P, double Q);

    public static StillingerWeber Read(string path)
    {
        var file = ThreeBodyFile.Read(path);
        int n = file.Species.Length;
        try
        {
            return new StillingerWeber(file.Species, (i, j, k) =>
            {
                var v = file.Parameters[(i * n + j) * n + k];
                return new SwParameters(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
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
        if (!list.IsFull) throw new ArgumentException("Stillinger-Weber needs a full neighbor list.");
        var types = _species.TypesOf(s, Name);
        bool wantStress = what.HasFlag(Quantities.Stress);
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
                    int j = list.J[p], tj = types[j];
                    int ijj = (ti * n + tj) * n + tj;
                    if (r >= _cut[ijj]) continue;
                    near.Add(j, tj, list.Vectors[p], r);
                    // Two-body term, half of it from each direction of the pair.
                    TwoBody(ijj, r, out double e2, out double de2);
                    sink.AddEnergy(i, 0.25 * e2);
                    sink.AddEnergy(j, 0.25 * e2);
                    sink.Add(i, j, (0.5 * de2 / r) * list.Vectors[p], list.Vectors[p]);
                }
                for (int a = 0; a < near.Count - 1; a++)
                {
                    int ija = (ti * n + near.Type[a]) * n + near.Type[a];
                    double r1 = near.Distance[a];
                    var d1 = near.Vector[a];
                    double rinv1 = 1.0 / (r1 - _cut[ija]);
                    double e1 = Math.Exp(_gammaSigma[ija] * rinv1);
                    double de1 = -e1 * _gammaSigma[ija] * rinv1 * rinv1; // d e1 / d r1
                    for (int b = a + 1; b < near.Count; b++)
                    {
                        int tk = near.Type[b];
                        int ikk = (ti * n + tk) * n + tk;
                        int ijk = (ti * n + near.Type[a]) * n + tk;
                        double r2 = near.Distance[b];
                        var d2 = near.Vector[b];
                        double rinv2 = 1.0 / (r2 - _cut[ikk]);
                        double e2 = Math.Exp(_gammaSigma[ikk] * rinv2);
                        double de2 = -e2 * _gammaSigma[ikk] * rinv2 * rinv2;
                        double inv12 = 1.0 / (r1 * r2);
                        double cos = d1.Dot(d2) * inv12;
                        double delta = cos - _cos0[ijk];
                        double l = _lambdaEps[ijk];
                        double energy = l * delta * delta * e1 * e2;
                        // Per-atom energies as LAMMPS tallies them: a third to each atom of the triplet.
                        sink.AddEnergy(i, energy / 3);
                        sink.AddEnergy(near.Atom[a], energy / 3);
                        sink.AddEnergy(near.Atom[b], energy / 3);
                        // ∂E/∂d1 = λε [2Δ e1 e2 ∂cos/∂d1 + Δ² e1' e2 d1/r1], ∂cos/∂d1 = d2/(r1 r2) − cos d1/r1².
                        double common = 2 * l * delta * e1 * e2;
                        var g1 = common * (inv12 * d2 - (cos / (r1 * r1)) * d1) + (l * delta * delta * de1 * e2 / r1) * d1;
                        var g2 = common * (inv12 * d1 - (cos / (r2 * r2)) * d2) + (l * delta * delta * e1 * de2 / r2) * d2;
                        sink.Add(i, near.Atom[a], g1, d1);
                        sink.Add(i, near.Atom[b], g2, d2);
                    }
                }
            }
            sink.StoreInto(acc, c);
        });
        return acc.Result(s, wantStress, tracksClosestPair: false);
    }

    /// <summary>φ₂(r) = A ε [B (σ/r)^p − (σ/r)^q] exp(σ/(r − aσ)) and its derivative.</summary>
    private void TwoBody(int x, double r, out double energy, out double derivative)
    {
        double sr = _sigma[x] / r;
        double srp = Math.Pow(sr, _p[x]), srq = Math.Pow(sr, _q[x]);
        double inv = 1.0 / (r - _cut[x]);
        double ex = Math.Exp(_sigma[x] * inv);
        double ae = _a[x] * _eps[x];
        double poly = _b[x] * srp - srq;
        energy = ae * poly * ex;
        double dpoly = (-_p[x] * _b[x] * srp + _q[x] * srq) / r;
        derivative = ae * ex * (dpoly - poly * _sigma[x] * inv * inv);
    }
}
