using System.Text.Json;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Tests.IO;

/// <summary>ASE databases (.db): rows ASE 3.22 wrote read with ASE's values and key-value pairs, and rows MDEngine
/// writes are read and listed by ASE (tools/reference/ase_db.py).</summary>
public sealed class AseDatabaseTests() : TempDirectoryTests("mdengine-db-")
{
    private static string PathOf(string name) => IoReference.PathOf(Path.Combine("db", name));
    private static JsonElement[] Expected(string name) => JsonDocument.Parse(File.ReadAllText(PathOf(name))).RootElement.EnumerateArray().ToArray();
    private static double[] Flat(IEnumerable<Vec3> v) => v.SelectMany(x => new[] { x.X, x.Y, x.Z }).ToArray();

    private static void AssertAsAseRead(JsonElement expected, Structure s, double tolerance, string what)
    {
        Assert.Equal(expected.GetProperty("numbers").EnumerateArray().Select(e => e.GetInt32()), s.Numbers);
        Assert.Equal(expected.GetProperty("pbc").EnumerateArray().Select(e => e.GetBoolean()), new[] { s.Pbc.A, s.Pbc.B, s.Pbc.C });
        IoReference.AssertClose(IoReference.Reals(expected.GetProperty("positions")), Flat(s.Positions), tolerance, $"{what} positions");
        IoReference.AssertClose(IoReference.Reals(expected.GetProperty("cell")), s.Cell.Matrix.ToArray(), tolerance, $"{what} cell");
        IoReference.AssertClose(IoReference.Reals(expected.GetProperty("masses")), s.Masses, tolerance, $"{what} masses");
        IoReference.AssertClose(IoReference.Reals(expected.GetProperty("velocities_fs")), Flat(s.Velocities ?? new Vec3[s.Count]), tolerance, $"{what} velocities");
        if (expected.TryGetProperty("energy", out var energy))
        {
            Assert.Equal(energy.GetDouble(), s.Energy!.Value, tolerance);
            IoReference.AssertClose(IoReference.Reals(expected.GetProperty("forces")), Flat(s.Forces!), tolerance, $"{what} forces");
            var st = s.Stress!.Value;
            IoReference.AssertClose(IoReference.Reals(expected.GetProperty("stress")), [st.M00, st.M11, st.M22, st.M12, st.M02, st.M01], tolerance, $"{what} stress");
        }
    }

    [Fact]
    public void Rows_written_by_ASE_read_with_their_results_and_key_value_pairs()
    {
        var rows = StructureFile.Read(PathOf("ase_written.db"));
        var expected = Expected("ase_written_db.json");
        Assert.Equal(expected.Length, rows.Count);
        for (int r = 0; r < rows.Count; r++)
        {
            AssertAsAseRead(expected[r], rows[r], 1e-15, $"row {r + 1}");
            Assert.Equal((long)(r + 1), rows[r].Info["id"]);
            Assert.Equal((long)r, rows[r].Info["index"]);
        }
        Assert.Equal(true, rows[0].Info["relaxed"]);
        Assert.Equal(12L, rows[0].Info["steps"]);
        Assert.Equal("x", rows[0].Info["note"]);
    }

    [Fact]
    public void Rows_written_by_MDEngine_are_read_and_listed_by_ASE_with_MDEngine_s_values()
    {
        var source = StructureFile.Read(IoReference.PathOf(Path.Combine("traj", "ase_written.extxyz")));
        var asRead = Expected("mdengine_written_db.json");
        Assert.Equal(source.Count, asRead.Length);
        for (int r = 0; r < source.Count; r++)
        {
            AssertAsAseRead(asRead[r], source[r], 1e-12, $"row {r + 1}");
            var pairs = asRead[r].GetProperty("key_value_pairs").EnumerateObject().Select(p => p.Name).Order();
            Assert.Equal(source[r].Info.Keys.Where(AseDatabase.IsKeyName).Order(), pairs);
        }
        // `ase db` lists every row with the keys MDEngine wrote.
        string listing = File.ReadAllText(PathOf("mdengine_written_db.txt"));
        Assert.Contains($"Rows: {source.Count}", listing);
        Assert.Contains("Keys: " + string.Join(", ", source.SelectMany(s => s.Info.Keys).Where(AseDatabase.IsKeyName).Distinct().Order()), listing);

        // What MDEngine writes today reads back as the committed file does.
        string written = Path.Combine(Dir, "written.db");
        StructureFile.Write(written, source);
        var again = StructureFile.Read(written);
        var committed = StructureFile.Read(PathOf("mdengine_written.db"));
        for (int r = 0; r < source.Count; r++)
        {
            Assert.Equal(committed[r].Positions, again[r].Positions);
            Assert.Equal(committed[r].Energy, again[r].Energy);
            Assert.Equal(committed[r].Info.Keys, again[r].Info.Keys);
        }
    }

    [Fact]
    public void Only_info_entries_ASE_accepts_as_keys_become_key_value_pairs()
    {
        var s = new Structure([1], [Vec3.Zero]);
        s.Info["Cu"] = 1L;              // an element symbol: reserved
        s.Info["natoms"] = 3L;          // reserved
        s.Info["bad key"] = 1.0;        // not an identifier
        s.Info["list"] = new[] { 1.0 }; // not a number, string or boolean
        s.Info["kept"] = 2.5;
        string path = Path.Combine(Dir, "keys.db");
        StructureFile.Write(path, s);
        var back = StructureFile.ReadFrame(path);
        Assert.Equal(["id", "kept"], back.Info.Keys.Order());
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_as_bad_input()
    {
        string path = Path.Combine(Dir, "junk.db");
        File.WriteAllText(path, "this is not SQLite");
        var e = Assert.Throws<InputException>(() => StructureFile.Read(path));
        Assert.Contains("not an ASE database", e.Message);
    }
}
