using MDEngine.IO;

namespace MDEngine.Dynamics;

/// <summary>
/// Appends a frame every <see cref="MdObserver.Interval"/> steps to a trajectory: extended XYZ (positions, velocities
/// as ASE momenta, forces, energy, stress, step and time) or a LAMMPS dump (positions, velocities, forces, step). Each frame is flushed as written, so the file can be
/// followed during a run, and a run that blows up keeps its last good frame.
/// </summary>
public sealed class TrajectoryObserver : MdObserver, IDisposable
{
    private readonly IFrameWriter _writer;

    public TrajectoryObserver(IFrameWriter writer, int interval) : base(interval) => _writer = writer;

    /// <summary>Starts a new file, or appends to it for a restarted run; a LAMMPS dump when the name says so
    /// (<see cref="StructureFile.ResolveFormat"/>), else extended XYZ.</summary>
    public static TrajectoryObserver ToFile(string path, int interval, bool append = false) =>
        new(StructureFile.OpenTrajectory(path, append), interval);

    public int FramesWritten => _writer.FramesWritten;

    /// <summary>The step of the last frame written by this observer (null before the first).</summary>
    public long? LastStep { get; private set; }

    public override void Observe(MolecularDynamics md)
    {
        var state = md.State;
        var s = state.Structure;
        s.Forces = state.Forces;
        s.Energy = state.PotentialEnergy;
        s.Stress = state.Stress;
        s.Info["step"] = state.Step;
        s.Info["time_fs"] = state.Time;
        _writer.Write(s);
        LastStep = state.Step;
    }

    public void Dispose() => _writer.Dispose();
}
