using System.Text;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Dynamics;

/// <summary>
/// Binary checkpoint of a run: every double bit for bit (atomic numbers, masses, positions, velocities, cell, pbc,
/// forces, energy, stress, fixed atoms, step, time), the integrator's own state (thermostat and barostat
/// variables, random-number generator) and the structure's other per-atom arrays and info entries. Written to a temporary file, flushed to disk and moved over the target,
/// so a crash never leaves a half-written checkpoint.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "MDENGINE-MD-CHECKPOINT";
    /// <summary>2 adds the structure's free arrays and info (<see cref="CheckpointExtras"/>); version 1 files still read.</summary>
    private const int Version = 2;

    public static void Write(string path, MdState state, Integrator integrator)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic); w.Write(Version);
            w.Write(integrator.Name); w.Write(integrator.TimeStep);
            var s = state.Structure;
            w.Write(s.Count);
            for (int i = 0; i < s.Count; i++) w.Write(s.Numbers[i]);
            for (int i = 0; i < s.Count; i++) w.Write(s.Masses[i]);
            WriteVectors(w, s.Positions); WriteVectors(w, state.Velocities); WriteVectors(w, state.Forces);
            foreach (double x in s.Cell.Matrix.ToArray()) w.Write(x);
            w.Write(s.Pbc.A); w.Write(s.Pbc.B); w.Write(s.Pbc.C);
            for (int i = 0; i < s.Count; i++) w.Write(state.Fixed[i]);
            w.Write(state.PotentialEnergy);
            w.Write(state.Stress.HasValue);
            if (state.Stress is { } stress) foreach (double x in stress.ToArray()) w.Write(x);
            w.Write(state.Step); w.Write(state.Time);
            using var blob = new MemoryStream();
            using (var bw = new BinaryWriter(blob, Encoding.UTF8, leaveOpen: true)) integrator.WriteState(bw, state);
            w.Write((int)blob.Length); w.Write(blob.ToArray());
            CheckpointExtras.Write(w, s);
            w.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Reads a checkpoint into a new state and restores <paramref name="integrator"/>, which must be the same
    /// scheme with the same time step as the one that wrote it.</summary>
    public static MdState Read(string path, Integrator integrator)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (r.ReadString() != Magic) throw new IO.InputException(path, null, "not an MDEngine MD checkpoint");
            int version = r.ReadInt32();
            if (version is < 1 or > Version) throw new IO.InputException(path, null, $"checkpoint version {version} is not supported");
            string name = r.ReadString(); double dt = r.ReadDouble();
            if (name != integrator.Name)
                throw new IO.InputException(path, null, $"the checkpoint was written by the '{name}' integrator, this run uses '{integrator.Name}'");
            if (dt != integrator.TimeStep)
                throw new IO.InputException(path, null, FormattableString.Invariant($"the checkpoint was written with a {dt} fs time step, this run uses {integrator.TimeStep} fs"));
            int n = r.ReadInt32();
            var numbers = new int[n]; var masses = new double[n];
            for (int i = 0; i < n; i++) numbers[i] = r.ReadInt32();
            for (int i = 0; i < n; i++) masses[i] = r.ReadDouble();
            var positions = ReadVectors(r, n); var velocities = ReadVectors(r, n); var forces = ReadVectors(r, n);
            var cellValues = new double[9];
            for (int k = 0; k < 9; k++) cellValues[k] = r.ReadDouble();
            var pbc = new Pbc(r.ReadBoolean(), r.ReadBoolean(), r.ReadBoolean());
            var fixedAtoms = new List<int>();
            for (int i = 0; i < n; i++) if (r.ReadBoolean()) fixedAtoms.Add(i);
            var structure = new Structure(numbers, positions, new Cell(Mat3.FromArray(cellValues)), pbc, masses) { Velocities = velocities };
            var state = new MdState(structure, fixedAtoms) { Forces = forces, PotentialEnergy = r.ReadDouble() };
            if (r.ReadBoolean())
            {
                var stress = new double[9];
                for (int k = 0; k < 9; k++) stress[k] = r.ReadDouble();
                state.Stress = Mat3.FromArray(stress);
            }
            state.Step = r.ReadInt64(); state.Time = r.ReadDouble();
            int length = r.ReadInt32();
            using var blob = new MemoryStream(r.ReadBytes(length));
            using var br = new BinaryReader(blob);
            integrator.ReadState(br, state);
            if (version >= 2) CheckpointExtras.Read(r, structure);
            return state;
        }
        catch (EndOfStreamException)
        {
            throw new IO.InputException(path, null, "the checkpoint is truncated");
        }
    }

    private static void WriteVectors(BinaryWriter w, Vec3[] v)
    {
        foreach (var x in v) { w.Write(x.X); w.Write(x.Y); w.Write(x.Z); }
    }

    private static Vec3[] ReadVectors(BinaryReader r, int n)
    {
        var v = new Vec3[n];
        for (int i = 0; i < n; i++) v[i] = new Vec3(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        return v;
    }
}
