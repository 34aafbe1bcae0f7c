using MDEngine.Geometry;
using MDEngine.Potentials;

namespace MDEngine.Optimize;

/// <summary>
/// One evaluation seen through an <see cref="IOptimizable"/>: the objective (potential energy, plus pV when a cell
/// filter applies a pressure), the generalized forces −∂objective/∂x flattened row by row (atoms, then three
/// cell rows when the cell relaxes), and the physical results after constraints.
/// </summary>
public sealed class Evaluation
{
    /// <summary>The quantity the optimizer minimizes (eV): energy, or enthalpy E + pV under a cell filter.</summary>
    public required double Objective { get; init; }

    /// <summary>Generalized forces, 3 numbers per row, constraints applied.</summary>
    public required double[] Forces { get; init; }

    /// <summary>Potential energy of the structure (eV).</summary>
    public required double Energy { get; init; }

    /// <summary>Cartesian atomic forces after constraints (eV/Å).</summary>
    public required Vec3[] AtomForces { get; init; }

    /// <summary>Stress after constraints (eV/Å³, ASE's sign); null for a non-periodic structure.</summary>
    public Mat3? Stress { get; init; }

    public required PotentialResult Raw { get; init; }

    /// <summary>The largest norm of a 3-row of the generalized forces: ASE's convergence measure.</summary>
    public double MaxForce => MaxRowNorm(Forces);

    public static double MaxRowNorm(ReadOnlySpan<double> flat)
    {
        double max = 0;
        for (int i = 0; i + 2 < flat.Length; i += 3)
            max = Math.Max(max, flat[i] * flat[i] + flat[i + 1] * flat[i + 1] + flat[i + 2] * flat[i + 2]);
        return Math.Sqrt(max);
    }
}
