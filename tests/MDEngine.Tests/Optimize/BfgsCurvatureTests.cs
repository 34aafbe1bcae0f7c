using MDEngine.Geometry;
using MDEngine.Optimize;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Tests.Optimize;

/// <summary>BFGS where the secant curvature turns negative: the step must follow ASE's V (Vᵀf/|ω|) rule, i.e. in
/// one dimension x ← x + f/|H| with H the secant slope −Δf/Δx.</summary>
public class BfgsCurvatureTests
{
    /// <summary>One row of coordinates with energy Σ −cos(x_k): negative curvature for π/2 &lt; |x_k| &lt; 3π/2.</summary>
    private sealed class Cosine(double[] x) : IOptimizable
    {
        public Structure Structure { get; } = new([1], [Vec3.Zero]);
        public int Rows => 1;
        public int Version { get; private set; }
        public Quantities Needs => Quantities.EnergyAndForces;
        public double[] GetCoordinates() => (double[])x.Clone();
        public void SetCoordinates(ReadOnlySpan<double> c) { c.CopyTo(x); Version++; }
        public Evaluation Absorb(PotentialResult result) => throw new NotSupportedException();

        public Evaluation Evaluate()
        {
            double e = x.Sum(v => -Math.Cos(v));
            var f = x.Select(v => -Math.Sin(v)).ToArray();
            return new Evaluation { Objective = e, Energy = e, Forces = f, AtomForces = [new Vec3(f[0], f[1], f[2])], Raw = new PotentialResult() };
        }
    }

    [Fact]
    public void Negative_curvature_steps_follow_ases_absolute_eigenvalue_rule()
    {
        var target = new Cosine([2.5, 2.5, 2.5]);
        var bfgs = new Bfgs();
        var e0 = target.Evaluate();
        bfgs.Step(target, e0, target.Evaluate);
        double x1 = 2.5 + e0.Forces[0] / 70.0; // first step: f / α
        Assert.Equal(x1, target.GetCoordinates()[0], 1e-14);

        var e1 = target.Evaluate();
        bfgs.Step(target, e1, target.Evaluate);
        double secant = -(e1.Forces[0] - e0.Forces[0]) / (x1 - 2.5);
        Assert.True(secant < 0, "the test needs negative curvature");
        double step = e1.Forces[0] / Math.Abs(secant);
        // The same step on each of the three coordinates: its row norm is √3·|step|, capped at 0.2 Å.
        double norm = Math.Sqrt(3) * Math.Abs(step);
        if (norm >= 0.2) step *= 0.2 / norm;
        Assert.Equal(x1 + step, target.GetCoordinates()[0], 1e-10);
    }
}
