using System.Globalization;
using MDEngine.IO;

namespace MDEngine.Potentials.Formats;

/// <summary>An analytic potential written as <c>name:key=value,...</c>.</summary>
public abstract class AnalyticFormat : PotentialFormat
{
    /// <summary>The prefix before the colon.</summary>
    public abstract string Prefix { get; }

    protected abstract Potential Create(string spec);

    public override string Name => Prefix;

    public override Potential? TryCreate(string spec) =>
        spec.StartsWith(Prefix + ":", StringComparison.OrdinalIgnoreCase) ? Create(spec) : null;

    protected sealed class Args(string spec, Dictionary<string, string> values)
    {
        public double Number(string key)
        {
            if (!values.TryGetValue(key, out var text)) throw new InputException(null, null, $"'{spec}': missing {key}=");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new InputException(null, null, $"'{spec}': {key}={text} is not a number");
            return v;
        }

        public double Positive(string key)
        {
            double v = Number(key);
            if (!(v > 0)) throw new InputException(null, null, $"'{spec}': {key}={values[key]} must be positive");
            return v;
        }

        public double Cutoff()
        {
            double v = Positive("cutoff");
            if (v > PotentialSpec.MaxCutoff) throw new InputException(null, null, FormattableString.Invariant($"'{spec}': cutoff={values["cutoff"]} is beyond {PotentialSpec.MaxCutoff} Å"));
            return v;
        }

        public bool Flag(string key)
        {
            if (!values.TryGetValue(key, out var text)) return false;
            return text.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" => true,
                "false" or "no" or "0" => false,
                _ => throw new InputException(null, null, $"'{spec}': {key}={text} is not true or false"),
            };
        }
    }

    protected static Args Arguments(string spec, string[] required, string[] optional)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var body = spec[(spec.IndexOf(':') + 1)..];
        foreach (var part in body.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new InputException(null, null, $"'{spec}': expected key=value, got '{part}'");
            string key = part[..eq].Trim();
            if (!required.Concat(optional).Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new InputException(null, null, $"'{spec}': unknown parameter '{key}' (expected {string.Join(", ", required.Concat(optional))})");
            if (!values.TryAdd(key, part[(eq + 1)..].Trim())) throw new InputException(null, null, $"'{spec}': {key} given twice");
        }
        foreach (var key in required)
            if (!values.ContainsKey(key)) throw new InputException(null, null, $"'{spec}': missing {key}=");
        return new Args(spec, values);
    }
}

/// <summary><c>lj:epsilon=0.0104,sigma=3.40,cutoff=8.5[,shift=true]</c>: <see cref="LennardJones"/>.</summary>
public sealed class LennardJonesFormat : AnalyticFormat
{
    public override string Prefix => "lj";
    public override string Help => "lj:epsilon=..,sigma=..,cutoff=..[,shift=true] (Lennard-Jones)";

    protected override Potential Create(string spec)
    {
        var a = Arguments(spec, ["epsilon", "sigma", "cutoff"], ["shift"]);
        return new LennardJones(a.Positive("epsilon"), a.Positive("sigma"), a.Cutoff(), a.Flag("shift"));
    }
}

/// <summary><c>morse:D=0.3429,alpha=1.3588,r0=2.866,cutoff=9[,shift=true]</c>: <see cref="Morse"/>.</summary>
public sealed class MorseFormat : AnalyticFormat
{
    public override string Prefix => "morse";
    public override string Help => "morse:D=..,alpha=..,r0=..,cutoff=..[,shift=true]";

    protected override Potential Create(string spec)
    {
        var a = Arguments(spec, ["D", "alpha", "r0", "cutoff"], ["shift"]);
        return new Morse(a.Positive("D"), a.Positive("alpha"), a.Positive("r0"), a.Cutoff(), a.Flag("shift"));
    }
}
