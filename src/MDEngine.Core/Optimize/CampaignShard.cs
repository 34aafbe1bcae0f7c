using System.Globalization;
using System.Text;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>
/// One part of a campaign split over several processes or machines: shard <see cref="Index"/> of <see cref="Count"/>
/// takes the structures whose key (<c>path@frame</c>) hashes to it under a stable hash (64-bit FNV-1a of the key's
/// UTF-8 bytes, the same on every machine and .NET version, then SplitMix64's finalizer so that keys differing in their
/// last character, as the frames of one file do, spread over the shards independently), so every structure lands in exactly one shard whatever
/// order the files are listed in. Each shard writes its own database (<see cref="DatabaseName"/>); <see
/// cref="CampaignMerge"/> combines them.
/// </summary>
public readonly record struct CampaignShard(int Index, int Count)
{
    /// <summary>The whole campaign in one shard.</summary>
    public static CampaignShard All => new(0, 1);

    public bool IsWhole => Count == 1;

    /// <summary>"i/N" with 0 ≤ i &lt; N.</summary>
    public static CampaignShard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i < n)
            return new CampaignShard(i, n);
        throw new FormatException($"'{text}' is not a shard i/N with 0 <= i < N (e.g. 0/8)");
    }

    /// <summary>The shard of a Slurm array task: SLURM_ARRAY_TASK_ID less SLURM_ARRAY_TASK_MIN (0 when unset) of
    /// SLURM_ARRAY_TASK_COUNT; null outside an array job.</summary>
    public static CampaignShard? FromSlurm(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("SLURM_ARRAY_TASK_COUNT") is not { } countText || environment("SLURM_ARRAY_TASK_ID") is not { } idText) return null;
        static int Number(string name, string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v : throw new FormatException($"{name}={text} is not a whole number");
        int count = Number("SLURM_ARRAY_TASK_COUNT", countText), id = Number("SLURM_ARRAY_TASK_ID", idText);
        int min = environment("SLURM_ARRAY_TASK_MIN") is { } minText ? Number("SLURM_ARRAY_TASK_MIN", minText) : 0;
        if (count < 1 || id - min < 0 || id - min >= count)
            throw new FormatException($"SLURM_ARRAY_TASK_ID={id} (from {min}) is not one of {count} tasks: submit the array as --array=0-{count - 1}");
        return new CampaignShard(id - min, count);
    }

    /// <summary>Whether the structure named <paramref name="key"/> belongs to this shard.</summary>
    public bool Contains(string key) => IsWhole || (int)(Mix(Hash(key)) % (ulong)Count) == Index;

    /// <summary>The structures of this shard, in stream order.</summary>
    public IEnumerable<(string Key, Structure Structure)> Select(IEnumerable<(string Key, Structure Structure)> inputs)
    {
        var shard = this;
        return IsWhole ? inputs : inputs.Where(x => shard.Contains(x.Key));
    }

    /// <summary>The database of this shard: results.db → results.shard3of8.db (the name itself for a whole campaign).</summary>
    public string DatabaseName(string database)
    {
        if (IsWhole) return database;
        string extension = Path.GetExtension(database);
        return database[..^extension.Length] + string.Create(CultureInfo.InvariantCulture, $".shard{Index}of{Count}") + extension;
    }

    /// <summary>64-bit FNV-1a of the UTF-8 bytes.</summary>
    public static ulong Hash(string key)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    /// <summary>SplitMix64's finalizer: every input bit reaches every output bit, so the low bits a modulo reads are
    /// as random as the high ones (FNV-1a's low bits follow the last byte closely).</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
