using MDEngine.ML.Graphs;

namespace MDEngine.ML.Mace;

/// <summary>How a MACE model is evaluated: the torch settings every model shares, and the form of the symmetric
/// contraction.</summary>
public sealed record MaceOptions : TorchSettings
{
    /// <summary>Evaluate the symmetric contraction with mace-torch's dense U tensors instead of the sparse monomial
    /// form (slower; a cross-check).</summary>
    public bool DenseContraction { get; init; }

    /// <summary>The head of a multi-head model, by name; null: the one mace-torch's calculator picks (the only head,
    /// else the one named "Default").</summary>
    public string? Head { get; init; }

    /// <summary>Evaluate the radial networks of the element-agnostic interactions (the MACE-MP-0 family's) as cubic
    /// splines of the edge length with this many intervals on [0, r_max], as symmetrix does: faster and approximate
    /// (256, symmetrix's choice, changes energies by ~1e-8 relative); CPU only; refused for models with the Agnesi
    /// distance transform. Null (the default): the exact networks.</summary>
    public int? RadialSplinePoints { get; init; }

    /// <summary>The fewest intervals <see cref="RadialSplinePoints"/> accepts: below this (0.4 Å per interval at a
    /// 6 Å cutoff) a spline cannot follow the radial networks; a smaller number is a mistake, not a setting.</summary>
    public const int MinimumRadialSplinePoints = 16;
}
