namespace MDEngine.Dynamics;

/// <summary>Something that watches a run every <see cref="Interval"/> steps (a log, a trajectory, a checkpoint).</summary>
public abstract class MdObserver
{
    protected MdObserver(int interval)
    {
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(interval), "An observer interval must be at least 1 step.");
        Interval = interval;
    }

    public int Interval { get; }

    /// <summary>Called once when a run starts, before the first step.</summary>
    public virtual void Start(MolecularDynamics md) { }

    /// <summary>Called after every step whose number is a multiple of <see cref="Interval"/> (and for step 0 of a fresh run).</summary>
    public abstract void Observe(MolecularDynamics md);

    /// <summary>Called when the run ends; <paramref name="completed"/> is false when it blew up or was cancelled.</summary>
    public virtual void Finish(MolecularDynamics md, bool completed) { }
}
