using MDEngine.Structures;

namespace MDEngine.Dynamics;

/// <summary>
/// The structure's free per-atom arrays and info entries (tags, charges, a comment, ... as read from the input) in a
/// checkpoint, so that a restarted run writes the same trajectory frames as the run that wrote it. The arrays the
/// checkpoint holds anyway (forces, velocities, masses) and info values of other types than numbers, booleans,
/// strings and arrays of them are left out.
/// </summary>
internal static class CheckpointExtras
{
    private static readonly HashSet<string> HeldElsewhere = new(StringComparer.Ordinal) { "forces", "velocities", "momenta", "masses" };

    private enum Tag : byte { Double, Long, Int, Bool, String, Doubles, Longs, Ints, Bools, Strings }

    public static void Write(BinaryWriter w, Structure s)
    {
        var arrays = s.Arrays.Where(a => !HeldElsewhere.Contains(a.Key)).ToList();
        w.Write(arrays.Count);
        foreach (var (name, array) in arrays)
        {
            w.Write(name);
            w.Write((byte)array.Type);
            w.Write(array.Columns);
            WriteValue(w, array.Data);
        }
        var info = s.Info.Where(e => TagOf(e.Value) is not null).ToList();
        w.Write(info.Count);
        foreach (var (key, value) in info)
        {
            w.Write(key);
            WriteValue(w, value);
        }
    }

    public static void Read(BinaryReader r, Structure s)
    {
        int arrays = r.ReadInt32();
        for (int k = 0; k < arrays; k++)
        {
            string name = r.ReadString();
            var type = (AtomArrayType)r.ReadByte();
            int columns = r.ReadInt32();
            s.Arrays[name] = new AtomArray(type, columns, (Array)ReadValue(r));
        }
        int entries = r.ReadInt32();
        for (int k = 0; k < entries; k++)
        {
            string key = r.ReadString();
            s.Info[key] = ReadValue(r);
        }
    }

    private static Tag? TagOf(object value) => value switch
    {
        double => Tag.Double, long => Tag.Long, int => Tag.Int, bool => Tag.Bool, string => Tag.String,
        double[] => Tag.Doubles, long[] => Tag.Longs, int[] => Tag.Ints, bool[] => Tag.Bools, string[] => Tag.Strings,
        _ => null,
    };

    private static void WriteValue(BinaryWriter w, object value)
    {
        var tag = TagOf(value) ?? throw new ArgumentException($"A value of type {value.GetType().Name} cannot be checkpointed.");
        w.Write((byte)tag);
        switch (value)
        {
            case double d: w.Write(d); break;
            case long l: w.Write(l); break;
            case int i: w.Write(i); break;
            case bool b: w.Write(b); break;
            case string t: w.Write(t); break;
            case double[] a: w.Write(a.Length); foreach (var x in a) w.Write(x); break;
            case long[] a: w.Write(a.Length); foreach (var x in a) w.Write(x); break;
            case int[] a: w.Write(a.Length); foreach (var x in a) w.Write(x); break;
            case bool[] a: w.Write(a.Length); foreach (var x in a) w.Write(x); break;
            case string[] a: w.Write(a.Length); foreach (var x in a) w.Write(x); break;
        }
    }

    private static object ReadValue(BinaryReader r)
    {
        var tag = (Tag)r.ReadByte();
        T[] Many<T>(Func<T> one)
        {
            var a = new T[r.ReadInt32()];
            for (int k = 0; k < a.Length; k++) a[k] = one();
            return a;
        }
        return tag switch
        {
            Tag.Double => r.ReadDouble(),
            Tag.Long => r.ReadInt64(),
            Tag.Int => r.ReadInt32(),
            Tag.Bool => r.ReadBoolean(),
            Tag.String => r.ReadString(),
            Tag.Doubles => Many(r.ReadDouble),
            Tag.Longs => Many(r.ReadInt64),
            Tag.Ints => Many(r.ReadInt32),
            Tag.Bools => Many(r.ReadBoolean),
            Tag.Strings => Many(r.ReadString),
            _ => throw new InvalidDataException($"unknown value tag {(byte)tag}"),
        };
    }
}
