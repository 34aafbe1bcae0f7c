using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.Tests.IO;

/// <summary>The corpus written by tools/reference/io_corpus.py with ASE and what ASE reads from each file.</summary>
internal static class IoReference
{
    public static string DataDirectory => ReferenceData.PathOf("io");
    public static string PathOf(string name) => Path.Combine(DataDirectory, name);

    private static readonly Lazy<JsonDocument> Expected = new(() => JsonDocument.Parse(File.ReadAllText(PathOf("expected.json"))));

    public static JsonElement[] Frames(string name) => Expected.Value.RootElement.GetProperty(name).EnumerateArray().ToArray();

    public static double[] Reals(JsonElement e) => Flatten(e).ToArray();

    private static IEnumerable<double> Flatten(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flatten) : [e.GetDouble()];

    public static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: {actual[i]:R}, expected {expected[i]:R}");
    }

    /// <summary>Compares numbers, positions, cell, pbc and masses with what ASE read.</summary>
    public static void AssertMatches(JsonElement expected, Structure s, double tolerance = 1e-12)
    {
        Assert.Equal(expected.GetProperty("numbers").EnumerateArray().Select(x => x.GetInt32()).ToArray(), s.Numbers);
        AssertClose(Reals(expected.GetProperty("positions")), Structure.FromVec3(s.Positions), tolerance, "positions");
        AssertClose(Reals(expected.GetProperty("cell")), s.Cell.Matrix.ToArray(), tolerance, "cell");
        var pbc = expected.GetProperty("pbc").EnumerateArray().Select(x => x.GetBoolean()).ToArray();
        Assert.Equal(pbc, new[] { s.Pbc.A, s.Pbc.B, s.Pbc.C });
        AssertClose(Reals(expected.GetProperty("masses")), s.Masses, 1e-12, "masses");
    }

    public static Vec3[] Vectors(JsonElement e) => Structure.ToVec3(Reals(e));
}
