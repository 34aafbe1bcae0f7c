using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Dynamics;

/// <summary>
/// Everything that evolves in a molecular-dynamics run except the integrator's own variables: the structure
/// (positions, cell, velocities in Å/fs), the forces, energy and stress at the current positions, the step
/// counter and the simulated time, and which atoms are held fixed.
/// </summary>
public sealed class MdState
{
    public Structure Structure { get; }
    public Vec3[] Velocities => Structure.Velocities!;
    public Vec3[] Forces { get; internal set; }
    public double PotentialEnergy { get; internal set; }

    /// <summary>Virial stress from the potential (eV/Å³, ASE's sign); null for a non-periodic structure.</summary>
    public Mat3? Stress { get; internal set; }

    public long Step { get; internal set; }

    /// <summary>Simulated time (fs).</summary>
    public double Time { get; internal set; }

    /// <summary>Atoms held fixed: zero velocity and zero force, excluded from the degrees of freedom.</summary>
    public bool[] Fixed { get; }

    public int FixedCount { get; }

    public MdState(Structure structure, IReadOnlyCollection<int>? fixedAtoms = null)
    {
        Structure = structure;
        structure.Velocities ??= new Vec3[structure.Count];
        if (structure.Velocities.Length != structure.Count) throw new ArgumentException("One velocity per atom is needed.");
        Fixed = new bool[structure.Count];
        foreach (int i in fixedAtoms ?? [])
        {
            if (i < 0 || i >= structure.Count) throw new ArgumentOutOfRangeException(nameof(fixedAtoms), $"No atom {i} in a structure of {structure.Count}.");
            Fixed[i] = true;
        }
        FixedCount = Fixed.Count(f => f);
        Forces = new Vec3[structure.Count];
        for (int i = 0; i < structure.Count; i++) if (Fixed[i]) Velocities[i] = Vec3.Zero;
    }

    public int Count => Structure.Count;

    /// <summary>
    /// Degrees of freedom for the kinetic temperature, as LAMMPS counts them: 3 per free atom, minus 3 for the
    /// centre-of-mass momentum when the integrator conserves it and no atom is fixed (a fixed atom anchors the system,
    /// so momentum is then not conserved). Langevin dynamics does not conserve momentum and keeps all 3 per atom.
    /// </summary>
    public int DegreesOfFreedom(bool momentumConserved)
    {
        int dof = 3 * (Count - FixedCount);
        if (momentumConserved && FixedCount == 0 && Count > 1) dof -= 3;
        return Math.Max(dof, 1);
    }

    /// <summary>Kinetic energy (eV).</summary>
    public double KineticEnergy()
    {
        double sum = 0;
        var v = Velocities; var m = Structure.Masses;
        for (int i = 0; i < v.Length; i++) sum += m[i] * v[i].LengthSquared;
        return 0.5 * sum / MdUnits.EvPerAmuInA2PerFs2;
    }

    /// <summary>Kinetic tensor Σ m v⊗v (eV).</summary>
    public Mat3 KineticTensor()
    {
        double xx = 0, yy = 0, zz = 0, xy = 0, xz = 0, yz = 0;
        var v = Velocities; var m = Structure.Masses;
        for (int i = 0; i < v.Length; i++)
        {
            var u = v[i]; double mi = m[i];
            xx += mi * u.X * u.X; yy += mi * u.Y * u.Y; zz += mi * u.Z * u.Z;
            xy += mi * u.X * u.Y; xz += mi * u.X * u.Z; yz += mi * u.Y * u.Z;
        }
        return (1.0 / MdUnits.EvPerAmuInA2PerFs2) * new Mat3(xx, xy, xz, xy, yy, yz, xz, yz, zz);
    }

    /// <summary>Instantaneous temperature (K) from the kinetic energy and the degrees of freedom.</summary>
    public double Temperature(bool momentumConserved) => 2 * KineticEnergy() / (DegreesOfFreedom(momentumConserved) * MdUnits.Boltzmann);

    /// <summary>Pressure tensor (eV/Å³, positive under compression): kinetic part Σ m v⊗v / V minus the virial stress.</summary>
    public Mat3? PressureTensor()
    {
        if (Stress is not { } stress) return null;
        return (1.0 / Structure.Volume) * KineticTensor() - stress;
    }

    /// <summary>Scalar pressure (eV/Å³): (2 E_kin − V tr σ)/(3V), as LAMMPS and ASE compute it.</summary>
    public double? Pressure() => PressureTensor() is { } p ? p.Trace / 3 : null;
}
