namespace MDEngine.Potentials.Formats;

/// <summary>
/// One way of naming a potential on the command line or in a script (mace-torch's <c>interaction_classes</c> for
/// potentials): a file format (<c>.eam.alloy</c>, a MACE model) or an analytic form (<c>lj:...</c>). A format claims
/// the specifications that are its own, builds the potential, says which elements one of its files covers (so that
/// <c>auto</c> can pick a shipped file) and gives the line of help the <c>--potential</c> options print.
/// Formats are registered in a <see cref="PotentialRegistry"/>; adding one is this one class and one
/// <see cref="PotentialRegistry.Add(PotentialFormat)"/> at start-up.
/// </summary>
public abstract class PotentialFormat
{
    /// <summary>A short name (<c>eam</c>, <c>lj</c>, <c>mace</c>).</summary>
    public abstract string Name { get; }

    /// <summary>How a specification of this format is written, for help texts: "a .sw file (Stillinger–Weber)".</summary>
    public abstract string Help { get; }

    /// <summary>The potential <paramref name="spec"/> names, or null when the specification is not of this format.
    /// A specification that is this format's but wrong (a bad parameter, a corrupt file) throws
    /// <see cref="IO.InputException"/>.</summary>
    public abstract Potential? TryCreate(string spec);

    /// <summary>The elements a file of this format covers, from its header (without reading its tables); null when
    /// <paramref name="path"/> is not such a file.</summary>
    public virtual IReadOnlySet<int>? ElementsOf(string path) => null;
}
