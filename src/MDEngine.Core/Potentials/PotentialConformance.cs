using MDEngine.Geometry;
using MDEngine.Neighbors;
using MDEngine.Structures;

namespace MDEngine.Potentials;

/// <summary>
/// Checks that any potential is self-consistent: forces are the negative gradient of the energy, the stress is the
/// strain derivative of the energy per volume (σ = (1/V) ∂E/∂ε, the structure deformed as r → r(I + ε), cell rows
/// alike), per-atom energies add up to the energy, the forces of a periodic structure sum to zero, and a
/// neighbor list with a skin gives the same numbers as a tight one. Derivatives are central finite differences.
/// </summary>
public static partial class PotentialConformance
{
    public sealed record Report(
        double Energy,
        double MaxForceError,
        double MaxForce,
        double MaxStressError,
        double MaxStress,
        double AtomEnergySumError,
        double NetForce,
        double SkinEnergyDifference,
        double SkinForceDifference)
    {
        public override string ToString() => FormattableString.Invariant(
            $"E={Energy:R} |ΔF|max={MaxForceError:E2} (|F|max={MaxForce:E2}) |Δσ|max={MaxStressError:E2} (|σ|max={MaxStress:E2}) |ΣEi−E|={AtomEnergySumError:E2} |ΣF|={NetForce:E2} skin ΔE={SkinEnergyDifference:E2} ΔF={SkinForceDifference:E2}");
    }

    /// <summary>Evaluates the potential the way a caller would: through a <see cref="BoundPotential"/>, with a fresh
    /// neighbor list (cutoff + <paramref name="skin"/>).</summary>
    public static PotentialResult Evaluate(Potential potential, Structure s, Quantities what, double skin = 0) =>
        new BoundPotential(potential, skin).Compute(s, what);

    /// <param name="displacement">Finite-difference step for positions (Å).</param>
    /// <param name="strain">Finite-difference step for strain components.</param>
    /// <param name="atoms">Atoms whose forces are checked (all by default).</param>
    public static Report Check(Potential potential, Structure structure, double displacement = 1e-5, double strain = 1e-6,
        IReadOnlyList<int>? atoms = null)
    {
        var s = structure.Clone();
        bool periodic = s.Pbc.AllPeriodic;
        var reference = Evaluate(potential, s, Quantities.All | Quantities.AtomEnergies);
        var forces = reference.Forces ?? throw new InvalidOperationException($"{potential.Name} returned no forces.");

        double maxForceError = 0, maxForce = 0;
        var original = (Vec3[])s.Positions.Clone();
        foreach (int i in atoms ?? Enumerable.Range(0, s.Count).ToArray())
        {
            for (int axis = 0; axis < 3; axis++)
            {
                double Displaced(double h)
                {
                    var moved = (Vec3[])original.Clone();
                    var p = moved[i]; p[axis] += h; moved[i] = p;
                    s.SetPositions(moved);
                    return Evaluate(potential, s, Quantities.Energy).Energy;
                }
                double gradient = (Displaced(displacement) - Displaced(-displacement)) / (2 * displacement);
                maxForceError = Math.Max(maxForceError, Math.Abs(-gradient - forces[i][axis]));
                maxForce = Math.Max(maxForce, Math.Abs(forces[i][axis]));
            }
        }
        s.SetPositions(original);

        double maxStressError = 0, maxStress = 0;
        if (periodic)
        {
            var stress = reference.Stress ?? throw new InvalidOperationException($"{potential.Name} returned no stress for a periodic structure.");
            double volume = s.Volume;
            for (int a = 0; a < 3; a++)
                for (int b = a; b < 3; b++)
                {
                    double Strained(double h)
                    {
                        // Symmetric strain with ε_ab = ε_ba = h/2 (ε_aa = h): dE/dh = V σ_ab.
                        var e = Mat3.Identity;
                        e[a, b] += a == b ? h : 0.5 * h;
                        if (a != b) e[b, a] += 0.5 * h;
                        var deformed = s.Clone();
                        deformed.Cell = new Cell(s.Cell.Matrix * e);
                        deformed.SetPositions(original.Select(r => r * e).ToArray());
                        return Evaluate(potential, deformed, Quantities.Energy).Energy;
                    }
                    double derivative = (Strained(strain) - Strained(-strain)) / (2 * strain) / volume;
                    maxStressError = Math.Max(maxStressError, Math.Abs(derivative - stress[a, b]));
                    maxStressError = Math.Max(maxStressError, Math.Abs(stress[a, b] - stress[b, a]));
                    maxStress = Math.Max(maxStress, Math.Abs(stress[a, b]));
                }
        }

        double atomSumError = reference.AtomEnergies is { } ae ? Math.Abs(ae.Sum() - reference.Energy) : double.NaN;
        var net = Vec3.Zero;
        foreach (var f in forces) net += f;

        var skinned = Evaluate(potential, s, Quantities.EnergyAndForces, skin: 1.0);
        double skinForce = 0;
        for (int i = 0; i < s.Count; i++) skinForce = Math.Max(skinForce, (skinned.Forces![i] - forces[i]).Length);

        return new Report(reference.Energy, maxForceError, maxForce, maxStressError, maxStress, atomSumError,
            net.Length, Math.Abs(skinned.Energy - reference.Energy), skinForce);
    }
}
