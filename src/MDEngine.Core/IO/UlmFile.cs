using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MDEngine.IO;

/// <summary>
/// ASE's ULM container (<c>ase.io.ulm</c>, version 3, little-endian), which <c>.traj</c> files use: a 48-byte header
/// ("- of Ulm", a 16-character tag, version, item count, position of the offset table), then per item its arrays
/// (8-byte aligned) and a JSON text (its length first) whose keys ending in '.' hold either an array reference
/// <c>{"ndarray": [shape, dtype, offset]}</c> or a nested item. Every offset, length and shape read is checked
/// against the file, so a damaged file is an <see cref="InputException"/>, never a wild read or allocation.
/// </summary>
public static class UlmFile
{
    private static readonly byte[] Magic = "- of Ulm"u8.ToArray();
    private const int Version = 3;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>ASE's offset table grows in blocks of 42, 42², ...: an appending ASE expects that capacity.</summary>
    private const int BlockSize = 42;

    /// <summary>The tag and the JSON of every item, with arrays resolved to <see cref="UlmArray"/>s.</summary>
    public static (string Tag, List<JsonObject> Items) Read(Stream stream, string? fileName)
    {
        InputException Bad(string problem) => new(fileName, null, problem);
        long length = stream.Length;
        var header = ReadAt(stream, 0, 48, length, fileName, "the header");
        if (!header.AsSpan(0, 8).SequenceEqual(Magic)) throw Bad("not a ULM file (an ASE .traj starts with \"- of Ulm\")");
        string tag = Encoding.ASCII.GetString(header, 8, 16).Trim();
        long version = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(24));
        long count = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(32));
        long tablePosition = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(40));
        if (version is < 2 or > Version) throw Bad($"ULM version {version} is not read (2 or 3)");
        if (count < 0 || count > length / 8) throw Bad($"item count {count} does not fit the file");
        var table = ReadAt(stream, tablePosition, count * 8, length, fileName, "the offset table");
        var items = new List<JsonObject>((int)count);
        for (int i = 0; i < count; i++)
        {
            long at = BinaryPrimitives.ReadInt64LittleEndian(table.AsSpan(8 * i));
            long size = BinaryPrimitives.ReadInt64LittleEndian(ReadAt(stream, at, 8, length, fileName, $"item {i}"));
            var text = ReadAt(stream, at + 8, size, length, fileName, $"the text of item {i}");
            JsonObject item;
            // Decoded strictly first: the parser would only meet invalid UTF-8 later, when a value is read.
            try { item = JsonNode.Parse(StrictUtf8.GetString(text)) as JsonObject ?? throw Bad($"item {i} is not a JSON object"); }
            catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
            {
                throw Bad($"item {i} is not valid JSON (damaged file)");
            }
            if (item["_little_endian"] is JsonValue little && little.TryGetValue(out bool isLittle) && !isLittle)
                throw Bad("big-endian ULM files are not read");
            items.Add(item);
        }
        return (tag, items);
    }

    /// <summary>The numbers of an array reference <c>{"ndarray": [shape, dtype, offset]}</c>, as doubles (int64,
    /// int32, float64, float32 and bool arrays), with their shape.</summary>
    public static (double[] Values, int[] Shape) ReadArray(Stream stream, JsonNode? reference, string? fileName, string name)
    {
        InputException Bad(string problem) => new(fileName, null, $"array {name}: {problem}");
        if (reference?["ndarray"] is not JsonArray { Count: 3 } spec || spec[0] is not JsonArray shapeNode)
            throw Bad("not an array reference");
        int[] shape;
        string dtype;
        long offset;
        try
        {
            shape = shapeNode.Select(n => n!.GetValue<int>()).ToArray();
            dtype = spec[1]!.GetValue<string>();
            offset = spec[2]!.GetValue<long>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException) { throw Bad("malformed shape, type or offset"); }
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw Bad($"negative dimension {d}");
            count *= d;
            if (count > stream.Length) throw Bad("larger than the file");
        }
        int width = dtype switch { "float64" or "int64" => 8, "float32" or "int32" => 4, "bool" => 1, _ => throw Bad($"type {dtype} is not read") };
        var bytes = ReadAt(stream, offset, count * width, stream.Length, fileName, $"array {name}");
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            var b = bytes.AsSpan(i * width, width);
            values[i] = dtype switch
            {
                "float64" => BinaryPrimitives.ReadDoubleLittleEndian(b),
                "int64" => BinaryPrimitives.ReadInt64LittleEndian(b),
                "float32" => BinaryPrimitives.ReadSingleLittleEndian(b),
                "int32" => BinaryPrimitives.ReadInt32LittleEndian(b),
                _ => b[0] != 0 ? 1 : 0,
            };
        }
        return (values, shape);
    }

    private static byte[] ReadAt(Stream stream, long position, long count, long length, string? fileName, string what)
    {
        if (position < 0 || count < 0 || position > length || count > length - position)
            throw new InputException(fileName, null, $"{what} lies outside the file (damaged or truncated)");
        var buffer = new byte[count];
        stream.Position = position;
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Writes items as ASE's ULM writer lays them out. Each item is a JSON object whose array values are
    /// given as <see cref="UlmArray"/>s under keys ending in '.', possibly inside nested objects.</summary>
    public static void Write(Stream stream, string tag, IReadOnlyList<UlmItem> items)
    {
        int capacity = 1;
        while (items.Count > capacity) capacity *= BlockSize;
        var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Encoding.ASCII.GetBytes(tag.PadRight(16)[..16]));
        writer.Write((long)Version);
        writer.Write((long)items.Count);
        writer.Write(48L);
        for (int i = 0; i < capacity; i++) writer.Write(i < items.Count ? 0L : -1L); // filled in below
        var offsets = new long[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            var json = items[i].Build(array =>
            {
                Align(writer);
                long at = stream.Position;
                foreach (double v in array.Values)
                    if (array.Integer) writer.Write((long)v); else writer.Write(v);
                return at;
            });
            offsets[i] = stream.Position;
            var text = Encoding.UTF8.GetBytes(json.ToJsonString());
            writer.Write((long)text.Length);
            writer.Write(text);
        }
        writer.Flush();
        stream.Position = 48;
        foreach (long o in offsets) writer.Write(o);
        writer.Flush();
        stream.Position = stream.Length;
    }

    private static void Align(BinaryWriter writer)
    {
        while (writer.BaseStream.Position % 8 != 0) writer.Write((byte)'#');
    }
}

/// <summary>An array to write into a ULM item: int64 or float64 values and a shape.</summary>
public sealed record UlmArray(double[] Values, int[] Shape, bool Integer);

/// <summary>One ULM item to write: plain JSON values and arrays, nested items under names ending in '.'.</summary>
public sealed class UlmItem
{
    private readonly List<(string Key, object Value)> _entries = [];

    public UlmItem Add(string key, JsonNode? value) { _entries.Add((key, value!)); return this; }
    public UlmItem Add(string key, UlmArray array) { _entries.Add((key + ".", array)); return this; }
    public UlmItem Add(string key, UlmItem child) { _entries.Add((key + ".", child)); return this; }

    /// <summary>The JSON of the item; <paramref name="writeArray"/> stores an array and returns its offset.</summary>
    public JsonObject Build(Func<UlmArray, long> writeArray)
    {
        var json = new JsonObject();
        foreach (var (key, value) in _entries)
            json[key] = value switch
            {
                UlmArray a => new JsonObject
                {
                    ["ndarray"] = new JsonArray(new JsonArray(a.Shape.Select(d => (JsonNode)d).ToArray()), a.Integer ? "int64" : "float64", writeArray(a)),
                },
                UlmItem child => child.Build(writeArray),
                JsonNode node => node,
                _ => null,
            };
        return json;
    }
}
