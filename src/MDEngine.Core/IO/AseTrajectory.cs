using System.Text.Json.Nodes;
using MDEngine.Geometry;
using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// ASE's trajectory format (<c>.traj</c>: <see cref="UlmFile"/> with the tag "ASE-Trajectory", as
/// <c>ase.io.Trajectory</c> writes it), every frame: <c>numbers</c>, <c>pbc</c> and <c>masses</c> (from the frame,
/// else from the first, as ASE does), <c>positions</c>, <c>cell</c>, <c>momenta</c> (ASE units, stored as velocities
/// in Å/fs), <c>charges</c> (array <c>initial_charges</c>), <c>tags</c>, <c>info</c> (numbers, strings, booleans and
/// lists of them) and the results of <c>calculator</c>: energy, forces and stress (Voigt, eV/Å³). Writing stores the
/// same, the results as a calculator named "mdengine", and the header in every frame, so that frames may differ in
/// their atoms.
/// </summary>
public static class AseTrajectory
{
    public const string Tag = "ASE-Trajectory";

    public static List<Structure> Read(Stream stream, string? fileName)
    {
        var (tag, items) = UlmFile.Read(stream, fileName);
        if (tag != Tag) throw new InputException(fileName, null, $"ULM file with tag '{tag}': not an ASE trajectory");
        if (items.Count == 0) throw new InputException(fileName, null, "no frames: the trajectory is empty");
        var frames = new List<Structure>(items.Count);
        foreach (var item in items)
        {
            try { frames.Add(ReadFrame(stream, item, items[0], fileName, frames.Count)); }
            catch (InputException) { throw; }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or NullReferenceException or InvalidCastException)
            {
                throw new InputException(fileName, null, $"frame {frames.Count}: {e.Message}");
            }
        }
        return frames;
    }

    private static Structure ReadFrame(Stream stream, JsonObject item, JsonObject first, string? fileName, int index)
    {
        InputException Bad(string problem) => new(fileName, null, $"frame {index}: {problem}");
        (double[] Values, int[] Shape) Array(JsonObject source, string name) => UlmFile.ReadArray(stream, source[name + "."], fileName, name);
        var header = item.ContainsKey("numbers.") ? item : first;
        var (zs, _) = Array(header, "numbers");
        int n = zs.Length;
        var numbers = new int[n];
        for (int i = 0; i < n; i++)
            numbers[i] = zs[i] is >= 1 and <= Element.MaxZ && zs[i] == Math.Floor(zs[i]) ? (int)zs[i] : throw Bad($"no element with atomic number {zs[i]}");
        Vec3[] Vectors(JsonObject source, string name)
        {
            var (v, shape) = Array(source, name);
            if (shape is not [var rows, 3] || rows != n) throw Bad($"{name} has shape [{string.Join(", ", shape)}], expected [{n}, 3]");
            return Structure.ToVec3(v);
        }
        var positions = Vectors(item, "positions");
        var cellRows = item["cell"] as JsonArray ?? throw Bad("no cell");
        var cell = cellRows.Count == 3 ? Mat3.FromArray(cellRows.SelectMany(r => (JsonArray)r!).Select(x => x!.GetValue<double>()).ToArray())
            : throw Bad("the cell is not 3 × 3");
        var pbcList = (header["pbc"] as JsonArray)?.Select(x => x!.GetValue<bool>()).ToArray() ?? throw Bad("no pbc");
        if (pbcList.Length != 3) throw Bad("pbc is not three booleans");
        double[]? masses = header.ContainsKey("masses.") ? Array(header, "masses").Values : null;
        if (masses is not null && (masses.Length != n || masses.Any(m => !(m > 0)))) throw Bad("masses are not one positive number per atom");
        var s = new Structure(numbers, positions, new Cell(cell), new Pbc(pbcList[0], pbcList[1], pbcList[2]), masses);
        if (item.ContainsKey("momenta."))
        {
            var momenta = Vectors(item, "momenta");
            s.Velocities = momenta.Select((p, i) => p / s.Masses[i] * AseUnits.Femtosecond).ToArray();
        }
        if (item.ContainsKey("charges.")) s.Arrays["initial_charges"] = AtomArray.Real(Array(item, "charges").Values);
        if (item.ContainsKey("tags.")) s.Arrays["tags"] = AtomArray.Integer(Array(item, "tags").Values.Select(t => (int)t).ToArray());
        if (item["info"] is JsonObject info)
            foreach (var (key, value) in info)
                if (InfoValue(value) is { } v) s.Info[key] = v;
        if (item["calculator."] is JsonObject calculator)
        {
            if (calculator["energy"] is JsonValue energy) s.Energy = energy.GetValue<double>();
            if (calculator.ContainsKey("forces.")) s.Forces = Vectors(calculator, "forces");
            if (calculator["stress"] is JsonArray stress)
            {
                var voigt = stress.Select(x => x!.GetValue<double>()).ToArray();
                if (voigt.Length is not (6 or 9)) throw Bad("stress is not 6 (Voigt) or 9 numbers");
                s.Stress = Structure.StressFromArray(voigt);
            }
        }
        FiniteValues.RequireRead(s, fileName);
        return s;
    }

    // Info values MDEngine keeps: numbers (long when integral in JSON), strings, booleans and flat lists of one kind.
    private static object? InfoValue(JsonNode? node)
    {
        switch (node)
        {
            case JsonValue v when v.TryGetValue(out bool b): return b;
            case JsonValue v when v.TryGetValue(out string? text): return text;
            case JsonValue v when v.TryGetValue(out long l): return l;
            case JsonValue v when v.TryGetValue(out double d): return d;
            case JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue(out long _)): return a.Select(x => x!.GetValue<long>()).ToArray();
            case JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue(out double _)): return a.Select(x => x!.GetValue<double>()).ToArray();
            case JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue(out bool _)): return a.Select(x => x!.GetValue<bool>()).ToArray();
            case JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue(out string? _)): return a.Select(x => x!.GetValue<string>()).ToArray();
            default: return null;
        }
    }

    public static void Write(Stream stream, IReadOnlyList<Structure> frames) =>
        UlmFile.Write(stream, Tag, frames.Select(Item).ToList());

    private static UlmItem Item(Structure s, int index)
    {
        int n = s.Count;
        var item = new UlmItem();
        if (index == 0) item.Add("version", 1);
        item.Add("pbc", new JsonArray(s.Pbc.A, s.Pbc.B, s.Pbc.C));
        item.Add("numbers", new UlmArray(s.Numbers.Select(z => (double)z).ToArray(), [n], Integer: true));
        if (Enumerable.Range(0, n).Any(i => s.Masses[i] != Element.FromZ(s.Numbers[i]).Mass))
            item.Add("masses", new UlmArray(s.Masses.ToArray(), [n], Integer: false));
        item.Add("positions", Vectors(s.Positions));
        item.Add("cell", new JsonArray(Enumerable.Range(0, 3).Select(k => (JsonNode)new JsonArray(s.Cell[k].X, s.Cell[k].Y, s.Cell[k].Z)).ToArray()));
        if (s.Arrays.TryGetValue("tags", out var tags) && tags.Data is int[] t && tags.Columns == 1)
            item.Add("tags", new UlmArray(t.Select(x => (double)x).ToArray(), [n], Integer: true));
        if (s.Velocities is { } v)
            item.Add("momenta", Vectors(v.Select((x, i) => x * s.Masses[i] / AseUnits.Femtosecond).ToArray()));
        if (s.Arrays.TryGetValue("initial_charges", out var q) && q.Data is double[] charges && q.Columns == 1)
            item.Add("charges", new UlmArray(charges.ToArray(), [n], Integer: false));
        if (s.Energy is not null || s.Forces is not null || s.Stress is not null)
        {
            var calculator = new UlmItem().Add("name", "mdengine").Add("parameters", new JsonObject());
            if (s.Energy is { } e) calculator.Add("energy", e);
            if (s.Forces is { } f) calculator.Add("forces", Vectors(f));
            if (s.Stress is { } st) calculator.Add("stress", new JsonArray(st.M00, st.M11, st.M22, st.M12, st.M02, st.M01));
            item.Add("calculator", calculator);
        }
        var info = new JsonObject();
        foreach (var (key, value) in s.Info)
        {
            if (key is Structure.EnergyKey or Structure.StressKey) continue;
            info[key] = value switch
            {
                double d => d, long l => l, bool b => b, string str => str,
                double[] a => new JsonArray(a.Select(x => (JsonNode)x).ToArray()),
                long[] a => new JsonArray(a.Select(x => (JsonNode)x).ToArray()),
                bool[] a => new JsonArray(a.Select(x => (JsonNode)x).ToArray()),
                string[] a => new JsonArray(a.Select(x => (JsonNode)x).ToArray()),
                _ => null,
            };
        }
        if (info.Count > 0) item.Add("info", info);
        return item;
    }

    private static UlmArray Vectors(IReadOnlyList<Vec3> v) =>
        new(v.SelectMany(x => new[] { x.X, x.Y, x.Z }).ToArray(), [v.Count, 3], Integer: false);
}
