using static TorchSharp.torch;

namespace MDEngine.ML.E3nn;

/// <summary>
/// Features of irreps with one multiplicity for all entries in two layouts: e3nn's [N, Σ mul·(2l+1)] (each entry
/// channel-major, as mace-torch and the model files have it) and channels-last [N, Σ(2l+1), mul] (one row per irrep
/// component, the channels contiguous: the layout of the CPU kernels and of <see cref="ChannelsLastLinear"/>).
/// </summary>
public static class ChannelsLast
{
    /// <summary>e3nn's layout → channels-last.</summary>
    public static Tensor From(Tensor x, Irreps irreps)
    {
        long n = x.shape[0];
        int mul = Mul(irreps);
        var blocks = irreps.Blocks(x);
        var rows = irreps.Select((m, k) => blocks[k].view(n, mul, m.Ir.Dim).transpose(1, 2)).ToArray();
        return (rows.Length == 1 ? rows[0] : cat(rows, 1)).contiguous();
    }

    /// <summary>Channels-last → e3nn's layout.</summary>
    public static Tensor ToIrrepsLayout(Tensor x, Irreps irreps)
    {
        long n = x.shape[0];
        int mul = Mul(irreps);
        var rows = x.split(irreps.Select(m => (long)m.Ir.Dim).ToArray(), 1);
        var blocks = irreps.Select((m, k) => rows[k].transpose(1, 2).reshape(n, mul * m.Ir.Dim)).ToArray();
        return blocks.Length == 1 ? blocks[0] : cat(blocks, 1);
    }

    private static int Mul(Irreps irreps)
    {
        if (irreps.Count == 0 || irreps.Any(m => m.Mul != irreps[0].Mul)) throw new ArgumentException($"channels-last features need one multiplicity for all entries, not {irreps}");
        return irreps[0].Mul;
    }
}
