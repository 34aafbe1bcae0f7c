using System.Globalization;

namespace MDEngine.Neighbors;

/// <summary>
/// When a <see cref="VerletNeighborList"/> considers rebuilding, with the meaning of LAMMPS's
/// <c>neigh_modify every N delay M check yes|no</c>: a rebuild is considered only on updates that are at least
/// <see cref="Delay"/> updates after the last build and a multiple of <see cref="Every"/> updates after it; with
/// <see cref="Check"/> it then happens only if an atom may have moved half the skin (the safe criterion), without it
/// always. The default (every 1, delay 0, check yes) never misses a pair; schedules without the check trade that
/// guarantee for fewer builds, as LAMMPS's benchmark inputs do (bench/in.lj: every 20, delay 0, check no).
/// A change of atom count, species or periodicity rebuilds whatever the schedule says.
/// </summary>
public sealed record NeighborUpdatePolicy(int Every = 1, int Delay = 0, bool Check = true)
{
    /// <summary>Every update checks, and a rebuild happens exactly when a pair could otherwise be missed.</summary>
    public static NeighborUpdatePolicy Safe { get; } = new();

    public int Every { get; } = Every >= 1 ? Every : throw new ArgumentOutOfRangeException(nameof(Every), "every must be at least 1");
    public int Delay { get; } = Delay >= 0 ? Delay : throw new ArgumentOutOfRangeException(nameof(Delay), "delay must not be negative");

    /// <summary>Whether the update that comes <paramref name="updatesSinceBuild"/> updates after the last build may
    /// rebuild (LAMMPS's Neighbor::decide: ago ≥ delay and ago a multiple of every).</summary>
    public bool Considers(int updatesSinceBuild) => updatesSinceBuild >= Delay && updatesSinceBuild % Every == 0;

    /// <summary>Parses LAMMPS's keywords, in any order and any subset: <c>every 20 delay 0 check no</c>.</summary>
    public static NeighborUpdatePolicy Parse(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int every = 1, delay = 0;
        bool check = true;
        if (words.Length == 0 || words.Length % 2 != 0) throw new FormatException($"'{text}': expected keyword/value pairs such as 'every 20 delay 0 check no'");
        for (int k = 0; k < words.Length; k += 2)
        {
            string key = words[k].ToLowerInvariant(), value = words[k + 1];
            switch (key)
            {
                case "every": every = Count(key, value, minimum: 1); break;
                case "delay": delay = Count(key, value, minimum: 0); break;
                case "check":
                    check = value.ToLowerInvariant() switch
                    {
                        "yes" => true,
                        "no" => false,
                        _ => throw new FormatException($"check {value}: expected yes or no"),
                    };
                    break;
                default: throw new FormatException($"unknown keyword '{words[k]}' (every, delay, check)");
            }
        }
        return new NeighborUpdatePolicy(every, delay, check);
    }

    private static int Count(string key, string value, int minimum) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= minimum ? n
            : throw new FormatException($"{key} {value}: expected an integer of at least {minimum}");

    public override string ToString() => $"every {Every} delay {Delay} check {(Check ? "yes" : "no")}";
}
