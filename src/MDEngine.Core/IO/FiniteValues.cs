using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>
/// Finds a number of a structure that is not finite (NaN, ±Infinity, or an overflow such as 1e308 scaled by a
/// factor): cell, positions, velocities, masses, real per-atom arrays (forces, charges, ...) and real info values
/// (energy, stress, ...). Readers check what they parse where they parse it, so that the error names the line;
/// this is the last check of everything read and the first of everything written.
/// </summary>
public static class FiniteValues
{
    /// <summary>What is not finite, e.g. "the position of atom 3", or null when every number is finite.</summary>
    public static string? FindProblem(Structure s)
    {
        if (!s.Cell.Matrix.IsFinite) return "the cell";
        if (!double.IsFinite(s.Cell.Volume)) return "the cell volume (it overflows)";
        for (int i = 0; i < s.Count; i++)
        {
            if (!s.Positions[i].IsFinite) return $"the position of atom {i}";
            if (!double.IsFinite(s.Masses[i])) return $"the mass of atom {i}";
            if (s.Velocities is { } v && !v[i].IsFinite) return $"the velocity of atom {i}";
        }
        foreach (var (name, array) in s.Arrays)
            if (array.Data is double[] values)
                for (int k = 0; k < values.Length; k++)
                    if (!double.IsFinite(values[k])) return $"{name} of atom {k / array.Columns}";
        foreach (var (key, value) in s.Info)
            if (InfoProblem(key, value) is { } problem) return problem;
        return null;
    }

    /// <summary>The info entry <paramref name="key"/> when it holds a real that is not finite, else null.</summary>
    public static string? InfoProblem(string key, object value) => value switch
    {
        double d when !double.IsFinite(d) => key,
        double[] a when !a.All(double.IsFinite) => key,
        _ => null,
    };

    /// <summary>Refuses a structure read from <paramref name="fileName"/> that holds a non-finite number.</summary>
    public static void RequireRead(Structure s, string? fileName, int? line = null)
    {
        if (FindProblem(s) is { } problem) throw new InputException(fileName, line, $"{problem} is not a finite number");
    }

    /// <summary>Refuses to write a structure that holds a non-finite number (before anything is written).</summary>
    public static void RequireWritable(Structure s, string? fileName)
    {
        if (FindProblem(s) is { } problem)
            throw new InputException(fileName, null, $"{problem} is not a finite number: nothing written");
    }
}
