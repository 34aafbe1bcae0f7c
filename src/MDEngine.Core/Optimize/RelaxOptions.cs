namespace MDEngine.Optimize;

/// <summary>Convergence criteria, as ASE's <c>run(fmax, steps)</c>.</summary>
public sealed record RelaxOptions
{
    /// <summary>Converged when every row of the generalized forces (atoms and, under a cell filter, cell rows) has a
    /// norm below this (eV/Å).</summary>
    public double Fmax { get; init; } = 0.05;

    /// <summary>Most optimizer steps.</summary>
    public int MaxSteps { get; init; } = 1000;
}
