using MDEngine.ML.Graphs;

namespace MDEngine.ML.TorchScript;

/// <summary>The deployed-model families whose calling conventions MDEngine knows.</summary>
public enum TorchScriptKind
{
    /// <summary>SevenNet's <c>deployed_serial.pt</c> (sevenn_get_model, LAMMPS <c>pair_style e3gnn</c>).</summary>
    SevenNet,
    /// <summary>NequIP and Allegro TorchScript files (<c>nequip-deploy</c>, <c>nequip-compile --mode torchscript</c>;
    /// LAMMPS <c>pair_style nequip</c> / <c>allegro</c>).</summary>
    Nequip,
    /// <summary><c>torch.jit.script</c> of a mace-torch model (the <c>_compiled.model</c> files of mace-torch's training).</summary>
    Mace,
    /// <summary>mace-torch's <c>create_lammps_model</c> wrapper (<c>*-lammps.pt</c>, LAMMPS <c>pair_style mace</c>).</summary>
    MaceLammps,
}

public static class TorchScriptKinds
{
    public const string Choices = "sevennet, nequip, mace, mace-lammps";

    public static string Name(TorchScriptKind kind) => kind switch
    {
        TorchScriptKind.SevenNet => "sevennet",
        TorchScriptKind.Nequip => "nequip",
        TorchScriptKind.Mace => "mace",
        _ => "mace-lammps",
    };

    /// <summary>The kind named by a <c>format=</c> option (allegro is nequip's convention).</summary>
    public static TorchScriptKind Parse(string value) => value.ToLowerInvariant() switch
    {
        "sevennet" or "e3gnn" => TorchScriptKind.SevenNet,
        "nequip" or "allegro" => TorchScriptKind.Nequip,
        "mace" => TorchScriptKind.Mace,
        "mace-lammps" or "mace_lammps" => TorchScriptKind.MaceLammps,
        _ => throw new ModelException($"format={value} is not one of {Choices}"),
    };

    /// <summary>
    /// The family of a file, from what its deploy tool stores: SevenNet writes <c>chemical_symbols_to_index</c> and
    /// <c>cutoff</c> beside the model, nequip <c>r_max</c> and <c>type_names</c>; mace-torch stores nothing it needs
    /// but has distinct <c>forward</c> signatures (the LAMMPS wrapper takes <c>local_or_ghost</c>, the scripted model
    /// <c>compute_force</c>). Anything else is refused, quoting its signature.
    /// </summary>
    public static TorchScriptKind Detect(TorchScriptArchive archive)
    {
        var extra = archive.ExtraFiles;
        if (extra.ContainsKey("chemical_symbols_to_index") && extra.ContainsKey("cutoff")) return TorchScriptKind.SevenNet;
        if (extra.ContainsKey("r_max") && extra.ContainsKey("type_names")) return TorchScriptKind.Nequip;
        string forward = archive.ForwardSignature;
        bool dictionary = forward.Contains("Dict[str, Tensor]", StringComparison.Ordinal);
        if (dictionary && forward.Contains("local_or_ghost", StringComparison.Ordinal)) return TorchScriptKind.MaceLammps;
        if (dictionary && forward.Contains("compute_force", StringComparison.Ordinal)) return TorchScriptKind.Mace;
        throw new ModelException($"a TorchScript model of no known family: {forward} " +
            $"(MDEngine runs {Choices} deployments; if this is one of them saved without its metadata, name it with " +
            "torchscript:FILE,format=KIND)");
    }

    /// <summary>
    /// Refuses a file whose <c>forward</c> cannot be called the way <paramref name="kind"/> calls it, before anything
    /// is compiled: libtorch compiles the added entry method while loading, and a compile error there cannot be
    /// recovered from. SevenNet and nequip take one <c>Dict[str, Tensor]</c>; mace-torch's scripted models take the
    /// dictionary and <c>compute_force</c>/<c>compute_virials</c>/<c>compute_stress</c> flags, its LAMMPS wrapper
    /// <c>local_or_ghost</c> and <c>compute_virials</c>; both mace kinds keep <c>atomic_numbers</c> and <c>r_max</c>.
    /// </summary>
    public static void RequireCallable(TorchScriptArchive archive, TorchScriptKind kind)
    {
        string forward = archive.ForwardSignature;
        string[] needed = kind switch
        {
            TorchScriptKind.SevenNet or TorchScriptKind.Nequip => ["forward(self, data: Dict[str, Tensor]) -> Dict[str, Tensor]:"],
            TorchScriptKind.Mace => ["data: Dict[str, Tensor]", "training: bool", "compute_force: bool", "compute_virials: bool", "compute_stress: bool"],
            _ => ["data: Dict[str, Tensor]", "local_or_ghost: Tensor", "compute_virials: bool"],
        };
        var missing = needed.Where(n => !forward.Contains(n, StringComparison.Ordinal)).ToList();
        if (kind is TorchScriptKind.Mace or TorchScriptKind.MaceLammps)
            missing.AddRange(new[] { "atomic_numbers", "r_max" }.Where(a => !archive.DeclaresAttribute(a)).Select(a => $"buffer {a}"));
        if (missing.Count > 0)
            throw new ModelException($"not a {Name(kind)} model: its forward is {forward} (a {Name(kind)} model needs {string.Join(", ", missing)})");
    }
}
