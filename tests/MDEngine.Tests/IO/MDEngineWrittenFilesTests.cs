using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Tests.IO;

/// <summary>
/// Files written by MDEngine, committed under data/io/mdengine_written/ with MDEngine's values in expected.json, so
/// that tools/reference/io_corpus.py --check can confirm that ASE reads the same numbers. This test regenerates them
/// and requires the committed copies to be identical (set MDENGINE_WRITE_REFERENCE to the repository's
/// tests/MDEngine.Tests/data/io folder to rewrite the committed copies after a deliberate format change).
/// </summary>
public class MDEngineWrittenFilesTests
{
    private static Dictionary<string, Structure[]> Frames()
    {
        var multi = StructureFile.Read(IoReference.PathOf("multi.extxyz")).ToArray();
        multi[0].SetPositions(multi[0].Positions.Select(p => p + new Vec3(1.0 / 3, -1e-9 / 7, Math.E * 1e-5)).ToArray());
        var triclinic = StructureFile.ReadFrame(IoReference.PathOf("ase_triclinic.cif"));
        triclinic.SetPositions(triclinic.Positions.Select(p => p + new Vec3(0.1 / 3, 0, 0)).ToArray());
        var selective = StructureFile.ReadFrame(IoReference.PathOf("POSCAR_selective"));
        selective.Velocities = Enumerable.Range(0, selective.Count).Select(i => new Vec3(0.01 / 3 * i, 0.002, -0.001)).ToArray();
        return new()
        {
            ["trajectory.extxyz"] = multi,
            ["triclinic.cif"] = [triclinic],
            ["selective.vasp"] = [selective],
        };
    }

    private static Dictionary<string, object> Describe(Structure s, bool withVelocities)
    {
        var d = new Dictionary<string, object>
        {
            ["numbers"] = s.Numbers,
            ["positions"] = s.Positions.Select(p => new[] { p.X, p.Y, p.Z }).ToArray(),
            ["cell"] = Enumerable.Range(0, 3).Select(k => new[] { s.Cell[k].X, s.Cell[k].Y, s.Cell[k].Z }).ToArray(),
            ["pbc"] = new[] { s.Pbc.A, s.Pbc.B, s.Pbc.C },
            ["masses"] = s.Masses,
        };
        if (withVelocities && s.Velocities is { } v) d["velocities_A_per_fs"] = v.Select(x => new[] { x.X, x.Y, x.Z }).ToArray();
        if (s.Energy is { } e) d["energy"] = e;
        if (s.Stress is { } m) d["stress_voigt"] = new[] { m.M00, m.M11, m.M22, m.M12, m.M02, m.M01 };
        if (s.Forces is { } f) d["forces"] = f.Select(x => new[] { x.X, x.Y, x.Z }).ToArray();
        if (s.Arrays.TryGetValue(PoscarReader.SelectiveDynamicsKey, out var flags)) d["selective_free"] = flags.Data;
        if (withVelocities)
        {
            // Free values as ASE keeps them: info other than the calculator results, and per-atom arrays (flattened).
            d["info"] = s.Info.Where(kv => kv.Key is not (Structure.EnergyKey or Structure.StressKey)).ToDictionary(kv => kv.Key, kv => kv.Value);
            d["arrays"] = s.Arrays.Where(kv => kv.Key != Structure.ForcesKey).ToDictionary(kv => kv.Key, kv => (object)kv.Value.Data);
        }
        return d;
    }

    [Fact]
    public void CommittedFilesAreWhatMDEngineWritesAndReadBack()
    {
        string folder = Directory.CreateTempSubdirectory("mdengine-written-").FullName;
        try
        {
            var expected = new Dictionary<string, object>();
            foreach (var (name, frames) in Frames())
            {
                string path = Path.Combine(folder, name);
                StructureFile.Write(path, frames);
                var back = StructureFile.Read(path);
                Assert.Equal(frames.Length, back.Count);
                for (int f = 0; f < frames.Length; f++)
                {
                    Assert.Equal(frames[f].Numbers, back[f].Numbers);
                    IoReference.AssertClose(Structure.FromVec3(frames[f].Positions), Structure.FromVec3(back[f].Positions), 1e-13, name);
                }
                // ASE ignores POSCAR velocities, so they are checked only through extended XYZ.
                expected[name] = back.Select(s => Describe(s, withVelocities: name.EndsWith(".extxyz"))).ToArray();
            }
            File.WriteAllText(Path.Combine(folder, "expected.json"), JsonSerializer.Serialize(expected, new JsonSerializerOptions { WriteIndented = true }));

            string? target = Environment.GetEnvironmentVariable("MDENGINE_WRITE_REFERENCE");
            if (!string.IsNullOrEmpty(target))
            {
                string destination = Path.Combine(target, "mdengine_written");
                Directory.CreateDirectory(destination);
                foreach (var file in Directory.GetFiles(folder)) File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
            }
            foreach (var file in Directory.GetFiles(folder))
                Assert.True(File.ReadAllText(file) == File.ReadAllText(IoReference.PathOf(Path.Combine("mdengine_written", Path.GetFileName(file)))),
                    $"{Path.GetFileName(file)} differs from the committed copy: rerun with MDENGINE_WRITE_REFERENCE and tools/reference/io_corpus.py --check");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
