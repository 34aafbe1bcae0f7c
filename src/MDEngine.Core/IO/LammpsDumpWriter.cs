using System.Globalization;
using System.Text;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// Writes frames as a LAMMPS text dump, <c>dump custom</c> style in metal units:
/// <c>ITEM: ATOMS id type element x y z [vx vy vz] [fx fy fz]</c> (velocities in Å/ps when the structure has them,
/// forces when it has them), the box in LAMMPS's orientation (<see cref="LammpsBox.FromCell"/>, everything rotated
/// with it; <c>BOX BOUNDS xy xz yz</c> when triclinic), <c>pp</c> for periodic axes and <c>ff</c> otherwise. The
/// timestep is Info["step"] (as <c>mdengine md</c> stores it) or Info["timestep"], else the frame's index. Atom types
/// follow atomic number. Each frame is flushed as written, so a trajectory can be followed during a run.
/// </summary>
public sealed class LammpsDumpWriter : IFrameWriter
{
    private readonly TextWriter _writer;
    private readonly bool _leaveOpen;
    private readonly string? _path;

    public LammpsDumpWriter(TextWriter writer, bool leaveOpen = false)
    {
        _writer = writer;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Opens <paramref name="path"/> for writing (or appending) frames.</summary>
    public LammpsDumpWriter(string path, bool append = false)
        : this(new StreamWriter(path, append, new UTF8Encoding(false)) { NewLine = "\n" }) => _path = path;

    public int FramesWritten { get; private set; }

    /// <summary>Appends one frame; a structure holding a non-finite number is refused before any of it is written.</summary>
    public void Write(Structure s)
    {
        FiniteValues.RequireWritable(s, _path);
        if (!s.Cell.IsFullRank) throw new InputException(_path, null, "a LAMMPS dump needs a cell (a box), also for non-periodic axes");
        var (box, map) = LammpsBox.FromCell(s.Cell, _path);
        var (typeOf, _) = LammpsBox.AssignTypes(s);
        long step = s.Info.TryGetValue("step", out var st) && st is long a ? a
            : s.Info.TryGetValue("timestep", out var ts) && ts is long b ? b : FramesWritten;
        var forces = s.Forces;
        static string R(double x) => NumberText.Real(x);

        var text = new StringBuilder();
        text.Append("ITEM: TIMESTEP\n").Append(step.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("ITEM: NUMBER OF ATOMS\n").Append(s.Count).Append('\n');
        string boundaries = string.Join(' ', Enumerable.Range(0, 3).Select(k => s.Pbc[k] ? "pp" : "ff"));
        text.Append("ITEM: BOX BOUNDS ").Append(box.IsTriclinic ? "xy xz yz " : "").Append(boundaries).Append('\n');
        foreach (var (lo, hi, tilt) in box.DumpBounds())
        {
            text.Append(R(lo)).Append(' ').Append(R(hi));
            if (box.IsTriclinic) text.Append(' ').Append(R(tilt));
            text.Append('\n');
        }
        text.Append("ITEM: ATOMS id type element x y z").Append(s.Velocities is null ? "" : " vx vy vz").Append(forces is null ? "" : " fx fy fz").Append('\n');
        for (int i = 0; i < s.Count; i++)
        {
            text.Append(i + 1).Append(' ').Append(typeOf[i]).Append(' ').Append(Element.FromZ(s.Numbers[i]).Symbol);
            Append(text, s.Positions[i] * map);
            if (s.Velocities is { } v) Append(text, v[i] * map * 1000); // Å/fs → Å/ps
            if (forces is not null) Append(text, forces[i] * map);
            text.Append('\n');
        }
        _writer.Write(text.ToString());
        _writer.Flush();
        FramesWritten++;

        static void Append(StringBuilder text, Vec3 v) => text.Append(' ').Append(R(v.X)).Append(' ').Append(R(v.Y)).Append(' ').Append(R(v.Z));
    }

    public void Dispose()
    {
        if (!_leaveOpen) _writer.Dispose();
    }
}
