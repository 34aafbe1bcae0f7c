using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.TorchScript;

/// <summary>
/// The stand-ins' energy computed independently of torch and of MDEngine's neighbor list, by a direct sum over
/// periodic images (parameters from data/torchscript/standin_parameters.json):
/// E = Σ_i E0[s_i] + ½ Σ_{i, j, S: 0 &lt; r &lt; r_c} D_ab [e^{−2α(r−r0)} − 2 e^{−α(r−r0)}] (1 − (r/r_c)²)².
/// </summary>
public static class StandInPairEnergy
{
    private static readonly Lazy<JsonElement> Parameters = new(() =>
        JsonDocument.Parse(File.ReadAllText(TorchScriptData.StandIn("standin_parameters.json"))).RootElement);

    /// <param name="perTypeCutoff">When true, a pair counts only within the per-type cutoff of its (centre,
    /// neighbor) elements (the per_edge_type_cutoff stand-in).</param>
    public static double Energy(Structure s, bool perTypeCutoff = false)
    {
        var p = Parameters.Value;
        double rc = p.GetProperty("r_cut").GetDouble(), alpha = p.GetProperty("alpha").GetDouble();
        var e0 = p.GetProperty("E0");
        var pairs = p.GetProperty("pairs").EnumerateArray().ToList();
        (double D, double R0) Pair(int za, int zb)
        {
            string a = Element.FromZ(za).Symbol, b = Element.FromZ(zb).Symbol;
            var q = pairs.Single(x => (x.GetProperty("a").GetString() == a && x.GetProperty("b").GetString() == b)
                || (x.GetProperty("a").GetString() == b && x.GetProperty("b").GetString() == a));
            return (q.GetProperty("D").GetDouble(), q.GetProperty("r0").GetDouble());
        }
        int range = s.Pbc.AllPeriodic ? 3 : 0;   // cells of the tests are wider than r_c / 3 along every axis
        double energy = s.Numbers.Sum(z => e0.GetProperty(Element.FromZ(z).Symbol).GetDouble());
        for (int i = 0; i < s.Count; i++)
            for (int j = 0; j < s.Count; j++)
                for (int na = -range; na <= range; na++)
                    for (int nb = -range; nb <= range; nb++)
                        for (int nc = -range; nc <= range; nc++)
                        {
                            var d = s.Positions[j] + new Vec3(na, nb, nc) * s.Cell.Matrix - s.Positions[i];
                            double r = d.Length;
                            if (r == 0 || r >= rc) continue;
                            if (perTypeCutoff && r > TypeCutoff(p, s.Numbers[i], s.Numbers[j])) continue;
                            var (depth, r0) = Pair(s.Numbers[i], s.Numbers[j]);
                            double x = Math.Exp(-alpha * (r - r0)), cut = 1 - r * r / (rc * rc);
                            energy += 0.5 * depth * (x * x - 2 * x) * cut * cut;
                        }
        return energy;
    }

    private static double TypeCutoff(JsonElement p, int centre, int neighbor)
    {
        var types = p.GetProperty("per_type_cutoff_types").EnumerateArray().Select(t => t.GetString()).ToList();
        var cutoffs = p.GetProperty("per_type_cutoff").EnumerateArray().Select(c => c.GetDouble()).ToArray();
        return cutoffs[types.IndexOf(Element.FromZ(centre).Symbol) * types.Count + types.IndexOf(Element.FromZ(neighbor).Symbol)];
    }

    /// <summary>A triclinic Si₃O₆ cell with atoms at least 1.45 Å apart (so the energy is moderate), shorter than
    /// r_c along its axes so that an atom meets several images of the same neighbor.</summary>
    public static Structure PeriodicSilica(int seed = 3)
    {
        var cell = new Mat3(5.1, 0, 0, 0.9, 5.3, 0, -0.4, 0.6, 5.0);
        var numbers = new[] { 14, 14, 14, 8, 8, 8, 8, 8, 8 };
        return new Structure(numbers, Place(numbers.Length, seed, f => f * cell, (a, b) => MinimumImage(a, b, cell)), new Cell(cell), Pbc.All);
    }

    /// <summary>A non-periodic Si₂O₄ cluster.</summary>
    public static Structure Cluster(int seed = 5)
    {
        var numbers = new[] { 14, 8, 8, 14, 8, 8 };
        return new Structure(numbers, Place(numbers.Length, seed, f => 4.0 * f, (a, b) => (a - b).Length));
    }

    private static Vec3[] Place(int count, int seed, Func<Vec3, Vec3> toCartesian, Func<Vec3, Vec3, double> distance)
    {
        var rng = new Random(seed);
        var positions = new List<Vec3>();
        while (positions.Count < count)
        {
            var r = toCartesian(new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()));
            if (positions.All(q => distance(r, q) > 1.45)) positions.Add(r);
        }
        return positions.ToArray();
    }

    private static double MinimumImage(Vec3 a, Vec3 b, Mat3 cell)
    {
        double best = double.MaxValue;
        for (int na = -1; na <= 1; na++)
            for (int nb = -1; nb <= 1; nb++)
                for (int nc = -1; nc <= 1; nc++) best = Math.Min(best, (a - b + new Vec3(na, nb, nc) * cell).Length);
        return best;
    }
}
