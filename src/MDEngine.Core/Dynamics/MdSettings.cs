using MDEngine.Neighbors;
using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Dynamics;

/// <summary>A structure to run: a name for messages (its file) and how to read it, called only when the run does not
/// continue from a checkpoint.</summary>
public sealed record MdInput(string Name, Func<Structure> Load)
{
    public static MdInput FromFile(string path, string? format = null) => new(path, () => IO.StructureFile.ReadFrame(path, format: format));
    public static MdInput Of(string name, Structure structure) => new(name, structure.Clone);
}

/// <summary>
/// A molecular-dynamics job as <see cref="MdRunner"/> runs it: the structures, how many replicas of each, the ensemble
/// (by its <see cref="EnsembleRegistry"/> name) and its settings, the initial velocities, and the outputs. With more
/// than one run (several structures, or <see cref="Replicas"/> &gt; 1) every output name gets the run's index before
/// its extension (<see cref="MdRunner.ReplicaPath"/>: md.extxyz → md.r0.extxyz, md.r1.extxyz, ...), and run k draws
/// its random numbers (initial velocities and a stochastic thermostat) from seed <see cref="Seed"/> + k.
/// </summary>
public sealed class MdSettings
{
    public required IReadOnlyList<MdInput> Inputs { get; init; }
    /// <summary>Runs per input structure, each with its own velocities and random stream.</summary>
    public int Replicas { get; init; } = 1;
    /// <summary>The potential for the elements of all runs (one object shared by every run, so that their force calls
    /// can be batched).</summary>
    public required Func<IReadOnlyList<int>, Potential> Potential { get; init; }
    public string Ensemble { get; init; } = "nve";
    /// <summary>Integrator settings; <see cref="IntegratorSettings.Temperature"/> and <see cref="IntegratorSettings.Seed"/>
    /// are taken from <see cref="Temperature"/> and <see cref="Seed"/>.</summary>
    public IntegratorSettings Integrator { get; init; } = new();
    /// <summary>Target temperature (K), also that of initial velocities; null for NVE from the file's velocities.</summary>
    public double? Temperature { get; init; }
    /// <summary>Total number of steps: a run continued from a checkpoint goes on up to it.</summary>
    public long Steps { get; init; }
    public ulong Seed { get; init; } = 1;
    /// <summary>Scale initial velocities to exactly <see cref="Temperature"/>.</summary>
    public bool ExactTemperature { get; init; }
    /// <summary>Draw initial velocities even when the structure has some.</summary>
    public bool NewVelocities { get; init; }
    /// <summary>0-based indices of atoms held fixed.</summary>
    public IReadOnlyList<int> Fixed { get; init; } = [];
    /// <summary>Closest approach allowed (Å); null: half the sum of covalent radii.</summary>
    public double? MinDistance { get; init; }
    /// <summary>Ends the message refusing overlapping atoms: how the user lowers the bound.</summary>
    public string? MinDistanceHint { get; init; }
    public double Skin { get; init; } = 1.0;
    public NeighborUpdatePolicy NeighborPolicy { get; init; } = NeighborUpdatePolicy.Safe;

    public string? Trajectory { get; init; }
    public int TrajectoryEvery { get; init; } = 100;
    public string? Log { get; init; }
    public int LogEvery { get; init; } = 100;
    public string? Checkpoint { get; init; }
    public int CheckpointEvery { get; init; } = 1000;
    /// <summary>Continue from this checkpoint (each run from its own, named as its outputs are): the log and
    /// trajectory lose what was written after it and are appended to, so they read as one uninterrupted run.</summary>
    public string? Restart { get; init; }

    /// <summary>Thermo lines (LAMMPS style) every <see cref="ThermoEvery"/> steps, or null for none. With several runs,
    /// one line per interval sums them up (<see cref="ReplicaThermoLines"/>).</summary>
    public TextWriter? ThermoOutput { get; init; }
    public int ThermoEvery { get; init; } = 100;

    public int RunCount => Inputs.Count * Replicas;
}
