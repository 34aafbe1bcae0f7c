using System.CommandLine;
using System.Text.Json;
using MDEngine.Cli;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;
using static MDEngine.Tests.CliHarness;

namespace MDEngine.Tests.Neighbors;

public sealed class NeighborsCommandTests() : TempDirectoryTests("mdengine-neighbors-")
{
    /// <summary>The 4-atom conventional fcc Cu cell (a = 3.615 Å).</summary>
    private string FccCopper()
    {
        var s = Structure.FromFractional(new[] { 29, 29, 29, 29 },
            new[] { new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0), new Vec3(0.5, 0, 0.5), new Vec3(0, 0.5, 0.5) }, Cell.Cubic(3.615));
        string path = Path.Combine(Dir, "cu.extxyz");
        StructureFile.Write(path, s);
        return path;
    }

    [Fact]
    public void JsonCountsTheTwelveNearestNeighborsOfFcc()
    {
        // Cutoff 3 Å: only the first shell, 12 neighbors at a/√2, most of them periodic images.
        var (code, output, error) = Run("neighbors", FccCopper(), "--cutoff", "3.0", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(48, root.GetProperty("edges").GetInt32());
        Assert.Equal(24, root.GetProperty("pairs").GetInt32());
        Assert.Equal(12.0, root.GetProperty("mean_neighbors").GetDouble(), 12);
        Assert.Equal(12, root.GetProperty("min_neighbors").GetInt32());
        Assert.Equal(12, root.GetProperty("max_neighbors").GetInt32());
        Assert.Equal(3.615 / Math.Sqrt(2), root.GetProperty("min_distance").GetDouble(), 9);
    }

    [Fact]
    public void SecondShellAndTextOutput()
    {
        // Cutoff 4 Å adds the 6 second neighbors at a: 18 per atom; in a 3.615 Å cell an atom meets its own images.
        var (code, output, _) = Run("neighbors", FccCopper(), "--cutoff", "4");
        Assert.Equal(0, code);
        Assert.Contains("pairs: 36 (each once); full-list entries: 72", output);
        Assert.Contains("neighbors per atom: min 18, mean 18.0000, max 18", output);
        Assert.Contains("shortest distance: 2.556191 Å", output);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1.5")]
    [InlineData("NaN")]
    [InlineData("abc")]
    [InlineData("1e6")]
    public void BadCutoffIsAUsageError(string cutoff)
    {
        var (code, output, error) = Run("neighbors", FccCopper(), "--cutoff", cutoff, "--json");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void MissingCutoffIsAUsageError()
    {
        var (code, _, error) = Run("neighbors", FccCopper());
        Assert.Equal(2, code);
        Assert.Contains("--cutoff is required", error);
    }

    [Fact]
    public void MissingFileIsABadInput()
    {
        var (code, _, error) = Run("neighbors", Path.Combine(Dir, "missing.extxyz"), "--cutoff", "3");
        Assert.Equal(2, code);
        Assert.StartsWith("error:", error);
    }
}
