namespace MDEngine.Dynamics;

/// <summary>A run that has become unphysical (non-finite forces or energy, atoms closer than a sane bound).
/// The run stops; the last good trajectory frame and checkpoint are kept.</summary>
public sealed class MdBlowUpException(long step, string problem)
    : Exception($"molecular dynamics blew up at step {step}: {problem}; the last good frame and checkpoint were kept")
{
    public long Step { get; } = step;
    public string Problem { get; } = problem;
}
