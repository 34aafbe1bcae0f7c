using MDEngine.Potentials.Formats;

namespace MDEngine.Potentials;

/// <summary>
/// Turns a specification of one of MDEngine.Core's classical formats into a potential (a shortcut for
/// <c>PotentialRegistry.Classical().Parse</c>): an EAM, Stillinger–Weber or Tersoff file in LAMMPS's format (or the
/// bare name of a shipped file in <c>potentials/</c>), <c>lj:...</c>, <c>morse:...</c>, or <c>auto</c>. Programs
/// that know more formats (the ML families) build their own <see cref="PotentialRegistry"/>.
/// </summary>
public static class PotentialSpec
{
    /// <summary>The longest cutoff an analytic potential may have (Å): far beyond any physical interaction, and short
    /// enough that the neighbor search stays bounded.</summary>
    public const double MaxCutoff = 100;

    public static Potential Parse(string spec, IReadOnlyList<int>? elementsForAuto = null) =>
        PotentialRegistry.Classical().Parse(spec, elementsForAuto);

    /// <summary>Reads a classical potential file, the format from its extension.</summary>
    public static Potential FromFile(string path) => Parse(path);
}
