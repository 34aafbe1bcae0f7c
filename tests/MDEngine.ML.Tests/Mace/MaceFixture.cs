using System.Globalization;
using System.Text.RegularExpressions;
using MDEngine.Geometry;
using MDEngine.ML.Mace;
using MDEngine.Structures;

namespace MDEngine.ML.Tests.Mace;

/// <summary>One frame of the mace-torch reference: the structure and the reference results.</summary>
public sealed record ReferenceFrame(Structure Structure, double Energy, Vec3[] Forces, Mat3? Stress, int Edges);

/// <summary>The small MACE fixture (data/mace, made with mace-torch + e3nn 0.5.0 in float64; see its README).</summary>
public static class MaceFixture
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "data", "mace");
    public static string ModelJson => Path.Combine(Directory, "model.json");

    private static readonly Lazy<MacePotential> Float64 = new(() => MacePotential.Load(ModelJson, new MaceOptions { Device = "cpu" }));
    public static MacePotential Potential => Float64.Value;

    public static MacePotential Load(MaceOptions options) => MacePotential.Load(ModelJson, options);

    private static readonly Lazy<IReadOnlyList<ReferenceFrame>> FramesLazy = new(() => ReadFrames(Path.Combine(Directory, "reference.extxyz")));
    public static IReadOnlyList<ReferenceFrame> Frames => FramesLazy.Value;

    /// <summary>A minimal reader for exactly the columns this fixture uses (species, pos, forces).</summary>
    private static List<ReferenceFrame> ReadFrames(string path)
    {
        var lines = File.ReadAllLines(path);
        var frames = new List<ReferenceFrame>();
        var keyValue = new Regex("(\\w+)=(\"[^\"]*\"|\\S+)");
        for (int at = 0; at < lines.Length && lines[at].Trim().Length > 0;)
        {
            int n = int.Parse(lines[at].Trim(), CultureInfo.InvariantCulture);
            var info = keyValue.Matches(lines[at + 1]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim('"'));
            if (info["Properties"] != "species:S:1:pos:R:3:forces:R:3") throw new InvalidDataException($"unexpected columns {info["Properties"]}");
            static double[] Numbers(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var pbcFlags = info["pbc"].Split(' ').Select(f => f == "T").ToArray();
            var cell = info.TryGetValue("Lattice", out var lattice) ? new Cell(Mat3.FromArray(Numbers(lattice))) : Cell.Empty;
            var symbols = new List<string>(); var positions = new List<Vec3>(); var forces = new List<Vec3>();
            for (int k = 0; k < n; k++)
            {
                var parts = lines[at + 2 + k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var v = parts.Skip(1).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                symbols.Add(parts[0]);
                positions.Add(new Vec3(v[0], v[1], v[2]));
                forces.Add(new Vec3(v[3], v[4], v[5]));
            }
            var structure = Structure.FromSymbols(symbols, positions, cell, new Pbc(pbcFlags[0], pbcFlags[1], pbcFlags[2]));
            Mat3? stress = info.TryGetValue("stress", out var st) ? Mat3.FromArray(Numbers(st)) : null;
            frames.Add(new ReferenceFrame(structure, double.Parse(info["energy"], CultureInfo.InvariantCulture), forces.ToArray(), stress,
                int.Parse(info["num_edges"], CultureInfo.InvariantCulture)));
            at += n + 2;
        }
        return frames;
    }
}
