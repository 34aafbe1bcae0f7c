using System.Globalization;
using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.ML.Training;

/// <summary>Where the reference labels live in an extended XYZ file, under mace-torch's option names.</summary>
public sealed record DataKeys
{
    public string EnergyKey { get; init; } = "REF_energy";
    public string ForcesKey { get; init; } = "REF_forces";
    public string StressKey { get; init; } = "REF_stress";
    public string VirialsKey { get; init; } = "REF_virials";
    /// <summary>Loss weight per config_type (info key "config_type"; "Default" when absent).</summary>
    public IReadOnlyDictionary<string, double> ConfigTypeWeights { get; init; } = new Dictionary<string, double> { ["Default"] = 1.0 };
}

/// <summary>Reading labelled configurations from extended XYZ and splitting them into training and validation sets.</summary>
public static class TrainingData
{
    public static List<TrainingConfiguration> Read(string path, DataKeys keys)
    {
        if (!File.Exists(path)) throw new TrainingException($"{path}: file not found");
        return FromStructures(StructureFile.Read(path), path, keys);
    }

    /// <summary>The labels of each structure under <paramref name="keys"/>; a stress from virials is −W/V (periodic
    /// structures only). The weight is config_type weight × info "config_weight".</summary>
    public static List<TrainingConfiguration> FromStructures(IEnumerable<Structure> structures, string source, DataKeys keys)
    {
        var result = new List<TrainingConfiguration>();
        int index = 0;
        foreach (var s in structures)
        {
            string where = $"{source}: configuration {index}";
            double? energy = s.Info.TryGetValue(keys.EnergyKey, out var e) ? Number(e, where, keys.EnergyKey) : null;
            Vec3[]? forces = s.Arrays.TryGetValue(keys.ForcesKey, out var f)
                ? (f.Type == AtomArrayType.Real && f.Columns == 3 ? Structure.ToVec3(f.AsReal) : throw new TrainingException($"{where}: '{keys.ForcesKey}' is not a real array of 3 columns"))
                : null;
            Mat3? stress = null;
            if (s.Info.TryGetValue(keys.StressKey, out var st)) stress = Structure.StressFromArray(Numbers(st, where, keys.StressKey));
            else if (s.Info.TryGetValue(keys.VirialsKey, out var vir) && s.Pbc.AllPeriodic)
                stress = (-1.0 / Math.Abs(s.Cell.Volume)) * Structure.StressFromArray(Numbers(vir, where, keys.VirialsKey));
            string type = s.Info.TryGetValue("config_type", out var t) ? Convert.ToString(t, CultureInfo.InvariantCulture)! : "Default";
            double weight = (keys.ConfigTypeWeights.TryGetValue(type, out var w) ? w : 1.0)
                * (s.Info.TryGetValue("config_weight", out var cw) ? Number(cw, where, "config_weight") : 1.0);
            if (forces is not null && forces.Length != s.Count) throw new TrainingException($"{where}: '{keys.ForcesKey}' has {forces.Length} rows for {s.Count} atoms");
            if (forces?.Any(v => !double.IsFinite(v.X) || !double.IsFinite(v.Y) || !double.IsFinite(v.Z)) == true)
                throw new TrainingException($"{where}: '{keys.ForcesKey}' holds a non-finite value");
            result.Add(new TrainingConfiguration(s, energy, forces, stress) { Weight = weight, ConfigType = type });
            index++;
        }
        if (result.Count == 0) throw new TrainingException($"{source}: no configurations");
        return result;
    }

    /// <summary>A random validation split: <paramref name="validFraction"/> of the configurations (rounded down, as
    /// mace-torch) drawn with a generator seeded by <paramref name="seed"/>.</summary>
    public static (List<TrainingConfiguration> Train, List<TrainingConfiguration> Valid) Split(IReadOnlyList<TrainingConfiguration> all, double validFraction, int seed)
    {
        if (validFraction is <= 0 or >= 1) throw new TrainingException($"valid_fraction = {validFraction} must lie between 0 and 1");
        int valid = (int)(validFraction * all.Count);
        if (valid == 0 || valid == all.Count) throw new TrainingException($"valid_fraction = {validFraction} of {all.Count} configurations leaves an empty set");
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(seed).Shuffle(order);
        return (order[..^valid].Select(i => all[i]).ToList(), order[^valid..].Select(i => all[i]).ToList());
    }

    private static double Number(object value, string where, string key) => value switch
    {
        double d when double.IsFinite(d) => d,
        int i => i,
        long l => l,
        string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) => d,
        _ => throw new TrainingException($"{where}: '{key}' is not a finite number"),
    };

    private static double[] Numbers(object value, string where, string key) => value switch
    {
        double[] a when a.Length is 6 or 9 && a.All(double.IsFinite) => a,
        _ => throw new TrainingException($"{where}: '{key}' must hold 6 or 9 finite numbers"),
    };
}

/// <summary>Bad training input or options: the message names the file or option and the problem.</summary>
public sealed class TrainingException(string message) : Exception(message);
