using System.Text.Json.Nodes;
using MDEngine.Geometry;
using MDEngine.Structures;
using Microsoft.Data.Sqlite;

namespace MDEngine.IO;

/// <summary>
/// ASE's database files (<c>.db</c>, SQLite, schema version 9 as ASE 3.22 creates it). Reading gives one structure per
/// row of <c>systems</c>, in id order: numbers, positions, cell, pbc, masses, momenta (as velocities in Å/fs),
/// initial charges, tags, energy, forces, stress, and the key-value pairs in <see cref="Structure.Info"/> (with the
/// row's id as Info["id"]). Writing creates a new database with ASE's tables and indices and one row per structure:
/// the same columns, the calculator "mdengine" when there are results, and as key-value pairs every Info entry that
/// ASE accepts as one (a number, a string or a boolean under a name that is an identifier and not one of ASE's
/// reserved keys, such as element symbols or "energy"), so that <c>ase db results.db</c> lists them.
/// </summary>
public static class AseDatabase
{
    private const int Version = 9;

    // ase.db.core.reserved_keys without the element symbols (checked separately).
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "age", "calculator", "calculator_parameters", "cell", "charges", "constraints", "ctime", "data", "dipole", "energies",
        "energy", "fmax", "forces", "formula", "free_energy", "id", "initial_charges", "initial_magmoms", "key_value_pairs",
        "magmom", "magmoms", "momenta", "mtime", "natoms", "numbers", "pbc", "positions", "smax", "stress", "stresses",
        "unique_id", "user", "X",
    };

    public static List<Structure> Read(string path)
    {
        var frames = new List<Structure>();
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, numbers, positions, cell, pbc, masses, momenta, initial_charges, tags, energy, forces, stress, key_value_pairs FROM systems ORDER BY id";
            using var reader = command.ExecuteReader();
            while (reader.Read()) frames.Add(Row(reader, path));
        }
        catch (SqliteException e) { throw new InputException(path, null, $"not an ASE database ({e.Message.Split('\n')[0]})"); }
        if (frames.Count == 0) throw new InputException(path, null, "no rows: the database is empty");
        return frames;
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static Structure Row(SqliteDataReader r, string path)
    {
        long id = r.GetInt64(0);
        InputException Bad(string problem) => new(path, null, $"row {id}: {problem}");
        byte[]? Blob(int column) => r.IsDBNull(column) ? null : (byte[])r.GetValue(column);
        var numberBytes = Blob(1) ?? throw Bad("no numbers");
        if (numberBytes.Length % 4 != 0) throw Bad("numbers are not int32 values");
        int n = numberBytes.Length / 4;
        var numbers = new int[n];
        for (int i = 0; i < n; i++)
        {
            numbers[i] = BitConverter.ToInt32(numberBytes, 4 * i);
            if (numbers[i] < 1 || numbers[i] > Element.MaxZ) throw Bad($"no element with atomic number {numbers[i]}");
        }
        double[]? Reals(int column, int count, string what)
        {
            var bytes = Blob(column);
            if (bytes is null) return null;
            if (bytes.Length != 8 * count) throw Bad($"{what} has {bytes.Length / 8} numbers, expected {count}");
            var values = new double[count];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            return values;
        }
        var positions = Structure.ToVec3(Reals(2, 3 * n, "positions") ?? throw Bad("no positions"));
        var cell = Reals(3, 9, "cell") ?? new double[9];
        int pbc = r.IsDBNull(4) ? 0 : r.GetInt32(4);
        var s = new Structure(numbers, positions, new Cell(Mat3.FromArray(cell)), new Pbc((pbc & 1) != 0, (pbc & 2) != 0, (pbc & 4) != 0), Reals(5, n, "masses"));
        if (s.Masses.Any(m => !(m > 0))) throw Bad("a mass is not positive");
        if (Reals(6, 3 * n, "momenta") is { } p)
            s.Velocities = Structure.ToVec3(p).Select((x, i) => x / s.Masses[i] * AseUnits.Femtosecond).ToArray();
        if (Reals(7, n, "initial_charges") is { } q) s.Arrays["initial_charges"] = AtomArray.Real(q);
        if (Blob(8) is { } tagBytes)
        {
            if (tagBytes.Length != 4 * n) throw Bad("tags are not one int32 per atom");
            s.Arrays["tags"] = AtomArray.Integer(Enumerable.Range(0, n).Select(i => BitConverter.ToInt32(tagBytes, 4 * i)).ToArray());
        }
        if (!r.IsDBNull(9)) s.Energy = r.GetDouble(9);
        if (Reals(10, 3 * n, "forces") is { } f) s.Forces = Structure.ToVec3(f);
        if (Blob(11) is { } stressBytes)
        {
            if (stressBytes.Length is not (48 or 72)) throw Bad("stress is not 6 or 9 numbers");
            var stress = new double[stressBytes.Length / 8];
            Buffer.BlockCopy(stressBytes, 0, stress, 0, stressBytes.Length);
            s.Stress = Structure.StressFromArray(stress);
        }
        s.Info["id"] = id;
        if (!r.IsDBNull(12))
        {
            JsonObject? pairs;
            try { pairs = JsonNode.Parse(r.GetString(12)) as JsonObject; }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException) { throw Bad("key_value_pairs is not JSON"); }
            foreach (var (key, value) in pairs ?? [])
            {
                if (value is not JsonValue v) continue;
                if (v.TryGetValue(out bool b)) s.Info[key] = b;
                else if (v.TryGetValue(out long l)) s.Info[key] = l;
                else if (v.TryGetValue(out double d)) s.Info[key] = d;
                else if (v.TryGetValue(out string? text)) s.Info[key] = text;
            }
        }
        FiniteValues.RequireRead(s, path);
        return s;
    }

    /// <summary>Whether ASE accepts <paramref name="key"/> as the name of a key-value pair.</summary>
    public static bool IsKeyName(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !Reserved.Contains(key) && !Element.TryFromSymbol(key, out _);

    /// <summary>Creates <paramref name="path"/> (which must not exist) with one row per structure.</summary>
    public static void Write(string path, IReadOnlyList<Structure> frames)
    {
        using var connection = Open(path, SqliteOpenMode.ReadWriteCreate);
        using var transaction = connection.BeginTransaction();
        foreach (string statement in Schema) Execute(connection, statement);
        double now = Now();
        foreach (var s in frames) Insert(connection, s, now);
        transaction.Commit();
    }

    /// <summary>Adds one row for <paramref name="s"/> to <paramref name="path"/>, creating the database with ASE's schema
    /// when it does not exist. Each call is its own transaction, so a process killed between two calls leaves every
    /// row written before it whole (what a campaign that resumes relies on).</summary>
    public static void Append(string path, Structure s) => AppendAll(path, [s]);

    /// <summary>Adds one row per structure to <paramref name="path"/> (created with ASE's schema when it does not
    /// exist), all in one transaction: either every row is written or none.</summary>
    public static void AppendAll(string path, IEnumerable<Structure> frames)
    {
        bool exists = File.Exists(path);
        using var connection = Open(path, SqliteOpenMode.ReadWriteCreate);
        using var transaction = connection.BeginTransaction();
        if (!exists) foreach (string statement in Schema) Execute(connection, statement);
        double now = Now();
        foreach (var s in frames) Insert(connection, s, now);
        transaction.Commit();
    }

    /// <summary>The values of the text key <paramref name="key"/> over all rows (empty when the file does not exist).</summary>
    public static HashSet<string> TextValues(string path, string key)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return values;
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM text_key_values WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    /// <summary>ASE's ctime/mtime clock (ase.db.core.now): years of 365.25 days since its T2000 = 946681200 s of the Unix
    /// epoch, so that <c>ase db</c> shows the right age.</summary>
    private static double Now() => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - 946681200.0) / 31557600.0;

    private static void Insert(SqliteConnection connection, Structure s, double now)
    {
        int n = s.Count;
        static byte[] Doubles(IEnumerable<double> values) => values.SelectMany(BitConverter.GetBytes).ToArray();
        static byte[] Vectors(IEnumerable<Vec3> v) => Doubles(v.SelectMany(x => new[] { x.X, x.Y, x.Z }));
        bool customMasses = Enumerable.Range(0, n).Any(i => s.Masses[i] != Element.FromZ(s.Numbers[i]).Mass);
        var pairs = new JsonObject();
        foreach (var (key, value) in s.Info)
        {
            if (!IsKeyName(key)) continue;
            JsonNode? node = value switch { double d => d, long l => l, bool b => b, string text => text, _ => null };
            if (node is not null) pairs[key] = node;
        }
        bool results = s.Energy is not null || s.Forces is not null || s.Stress is not null;
        var forces = s.Forces;
        double? fmax = forces is null ? null : forces.Max(f => f.Length);
        var stress = s.Stress;
        double? smax = stress is { } st ? new[] { st.M00, st.M11, st.M22, st.M12, st.M02, st.M01 }.Max(Math.Abs) : null;

        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO systems VALUES (NULL" + string.Concat(Enumerable.Range(0, 32).Select(k => $", $p{k}")) + ")";
        object?[] values =
        [
            Guid.NewGuid().ToString("N"), now, now, Environment.GetEnvironmentVariable("USER"),
            s.Numbers.SelectMany(BitConverter.GetBytes).ToArray(), Vectors(s.Positions), Doubles(s.Cell.Matrix.ToArray()),
            (s.Pbc.A ? 1 : 0) + (s.Pbc.B ? 2 : 0) + (s.Pbc.C ? 4 : 0), null,
            s.Arrays.TryGetValue("initial_charges", out var q) && q.Data is double[] charges ? Doubles(charges) : null,
            customMasses ? Doubles(s.Masses) : null,
            s.Arrays.TryGetValue("tags", out var t) && t.Data is int[] tags ? tags.SelectMany(BitConverter.GetBytes).ToArray() : null,
            s.Velocities is { } v ? Vectors(v.Select((x, i) => x * s.Masses[i] / AseUnits.Femtosecond)) : null,
            null, results ? "mdengine" : null, results ? "{}" : null,
            s.Energy, null, forces is null ? null : Vectors(forces),
            stress is { } m ? Doubles([m.M00, m.M11, m.M22, m.M12, m.M02, m.M01]) : null,
            null, null, null, null,
            pairs.ToJsonString(), EmptyData, n, fmax, smax,
            s.IsCrystal ? s.Volume : null, s.TotalMass,
            s.Arrays.TryGetValue("initial_charges", out var qq) && qq.Data is double[] c ? c.Sum() : 0.0,
        ];
        for (int k = 0; k < values.Length; k++) command.Parameters.AddWithValue($"$p{k}", values[k] ?? DBNull.Value);
        command.ExecuteNonQuery();
        using var last = connection.CreateCommand();
        last.CommandText = "SELECT last_insert_rowid()";
        long id = (long)last.ExecuteScalar()!;

        foreach (var group in s.Numbers.GroupBy(z => z).OrderBy(g => g.Key))
            Execute(connection, "INSERT INTO species VALUES ($p0, $p1, $p2)", group.Key, group.Count(), id);
        foreach (var (key, node) in pairs)
        {
            var value = (JsonValue)node!;
            if (value.TryGetValue(out string? text)) Execute(connection, "INSERT INTO text_key_values VALUES ($p0, $p1, $p2)", key, text, id);
            else Execute(connection, "INSERT INTO number_key_values VALUES ($p0, $p1, $p2)", key,
                value.TryGetValue(out bool b) ? (b ? 1.0 : 0.0) : value.TryGetValue(out long l) ? l : value.GetValue<double>(), id);
            Execute(connection, "INSERT INTO keys VALUES ($p0, $p1)", key, id);
        }
    }

    // What ASE's object_to_bytes writes for empty data ({}): an 8-byte offset, then the JSON.
    private static readonly byte[] EmptyData = [8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}'];

    private static void Execute(SqliteConnection connection, string sql, params object[] values)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (int k = 0; k < values.Length; k++) command.Parameters.AddWithValue($"$p{k}", values[k]);
        command.ExecuteNonQuery();
    }

    // ASE 3.22's ase/db/sqlite.py init_statements and index_statements (schema version 9).
    private static readonly string[] Schema =
    [
        """
        CREATE TABLE systems (
            id INTEGER PRIMARY KEY AUTOINCREMENT, unique_id TEXT UNIQUE, ctime REAL, mtime REAL, username TEXT,
            numbers BLOB, positions BLOB, cell BLOB, pbc INTEGER, initial_magmoms BLOB, initial_charges BLOB, masses BLOB,
            tags BLOB, momenta BLOB, constraints TEXT, calculator TEXT, calculator_parameters TEXT, energy REAL,
            free_energy REAL, forces BLOB, stress BLOB, dipole BLOB, magmoms BLOB, magmom REAL, charges BLOB,
            key_value_pairs TEXT, data BLOB, natoms INTEGER, fmax REAL, smax REAL, volume REAL, mass REAL, charge REAL)
        """,
        "CREATE TABLE species (Z INTEGER, n INTEGER, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))",
        "CREATE TABLE keys (key TEXT, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))",
        "CREATE TABLE text_key_values (key TEXT, value TEXT, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))",
        "CREATE TABLE number_key_values (key TEXT, value REAL, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))",
        "CREATE TABLE information (name TEXT, value TEXT)",
        $"INSERT INTO information VALUES ('version', '{Version}')",
        "CREATE INDEX unique_id_index ON systems(unique_id)",
        "CREATE INDEX ctime_index ON systems(ctime)",
        "CREATE INDEX username_index ON systems(username)",
        "CREATE INDEX calculator_index ON systems(calculator)",
        "CREATE INDEX species_index ON species(Z)",
        "CREATE INDEX key_index ON keys(key)",
        "CREATE INDEX text_index ON text_key_values(key)",
        "CREATE INDEX number_index ON number_key_values(key)",
    ];
}
