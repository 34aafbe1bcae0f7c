using System.Text.Json;
using MDEngine.Geometry;

namespace MDEngine.Tests;

/// <summary>The committed reference data under data/ (copied next to the test assembly) and the JSON shapes the
/// scripts under tools/reference/ write: a 3-vector as [x, y, z], a list of vectors as rows, a 3×3 matrix (a cell)
/// as its three rows.</summary>
internal static class ReferenceData
{
    /// <summary>data/<paramref name="parts"/>..., e.g. PathOf("symmetry", "spglib_corpus.json").</summary>
    public static string PathOf(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    public static JsonDocument Load(params string[] parts) => JsonDocument.Parse(File.ReadAllText(PathOf(parts)));

    public static Vec3 Vector(JsonElement e) => new(e[0].GetDouble(), e[1].GetDouble(), e[2].GetDouble());

    public static Vec3[] Vectors(JsonElement e) => e.EnumerateArray().Select(Vector).ToArray();

    public static Mat3 Matrix(JsonElement rows)
    {
        var r = Vectors(rows);
        return Mat3.FromRows(r[0], r[1], r[2]);
    }

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
}
