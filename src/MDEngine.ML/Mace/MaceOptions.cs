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
}
