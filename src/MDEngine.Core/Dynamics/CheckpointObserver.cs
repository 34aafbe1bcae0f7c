namespace MDEngine.Dynamics;

/// <summary>Writes a checkpoint every <see cref="MdObserver.Interval"/> steps and at the end of a completed run.
/// After each checkpoint the neighbor list is rebuilt, so the run continues exactly as a restart from it would.</summary>
public sealed class CheckpointObserver(string path, int interval) : MdObserver(interval)
{
    public string Path { get; } = path;

    /// <summary>The step of the last checkpoint written by this observer (null before the first).</summary>
    public long? LastStep { get; private set; }

    public override void Observe(MolecularDynamics md) => Save(md);

    public override void Finish(MolecularDynamics md, bool completed)
    {
        // A blown-up run keeps the last good checkpoint; a cancelled one is still consistent and is saved.
        if (completed) Save(md);
    }

    private void Save(MolecularDynamics md)
    {
        Checkpoint.Write(Path, md.State, md.Integrator);
        LastStep = md.State.Step;
        md.Forces.ResetNeighborList();
    }
}
