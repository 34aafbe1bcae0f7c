using MDEngine.Geometry;
using MDEngine.Optimize;

namespace MDEngine.Workflows;

/// <summary>How <see cref="RelaxRunner"/> relaxes: the optimizer, the convergence test, what may move (atoms, the
/// cell, under which constraints), and where the results go.</summary>
public sealed record RelaxSettings
{
    /// <summary>A name in <see cref="OptimizerRegistry"/>.</summary>
    public string Optimizer { get; init; } = "lbfgs";
    /// <summary>With an optimizer that takes one: choose each step's length by a Wolfe line search.</summary>
    public bool LineSearch { get; init; }
    /// <summary>Converged when every row of the generalized force is below this (eV/Å).</summary>
    public double Fmax { get; init; } = 0.05;
    public int MaxSteps { get; init; } = 1000;

    /// <summary>Relax the cell too, through a Fréchet cell filter (ASE's FrechetCellFilter).</summary>
    public bool RelaxCell { get; init; }
    /// <summary>External pressure (GPa), with <see cref="RelaxCell"/>.</summary>
    public double PressureGPa { get; init; }
    public bool Hydrostatic { get; init; }
    public bool ConstantVolume { get; init; }
    /// <summary>Which strain components relax (ASE's mask as a 3×3 matrix of 0/1), null for all.</summary>
    public Mat3? StrainMask { get; init; }

    /// <summary>Atoms that do not move (0-based).</summary>
    public IReadOnlyList<int> FixedAtoms { get; init; } = [];
    /// <summary>Keep each structure's space group: symmetrize it first, then its forces, stress and steps (ASE's
    /// FixSymmetry).</summary>
    public bool KeepSymmetry { get; init; }
    /// <summary>Distance tolerance (Å) for finding space groups.</summary>
    public double Symprec { get; init; } = 1e-3;

    /// <summary>Refuse structures with atoms closer than this (Å); null: half the sum of their covalent radii.</summary>
    public double? MinDistance { get; init; }
    /// <summary>What a refusal for atoms too close suggests (a command names its option here).</summary>
    public string? MinDistanceHint { get; init; }
    /// <summary>The Verlet buffer of the neighbor lists (Å).</summary>
    public double Skin { get; init; } = 0.5;

    /// <summary>Where the relaxed structures are written (null: not written), in <see cref="OutputFormat"/> or the
    /// format the name implies.</summary>
    public string? OutputPath { get; init; }
    public string? OutputFormat { get; init; }
    /// <summary>An extended XYZ file receiving every step of every structure (null: none).</summary>
    public string? TrajectoryPath { get; init; }
}
