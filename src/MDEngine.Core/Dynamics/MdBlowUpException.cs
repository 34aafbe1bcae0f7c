namespace MDEngine.Dynamics;

/// <summary>A run that has become unphysical (non-finite forces or energy, atoms closer than a sane bound).
/// The run stops; what its observers wrote before (trajectory frames, checkpoints) is kept, and nothing of the bad
/// step is written. The message says only what went wrong: the caller knows what was kept.</summary>
public sealed class MdBlowUpException(long step, string problem)
    : Exception($"molecular dynamics blew up at step {step}: {problem}")
{
    public long Step { get; } = step;
    public string Problem { get; } = problem;
}
