using MDEngine.IO;

namespace MDEngine.Optimize;

/// <summary>What a merge did: rows added, rows whose key the target already held, rows without a key (not merged).</summary>
public sealed record MergeSummary(int Added, int AlreadyPresent, int WithoutKey);

/// <summary>
/// Combines the databases of a sharded campaign (<see cref="CampaignShard"/>) into one: every row of the sources whose
/// <see cref="RelaxCampaign.KeyName"/> the target does not hold yet is appended (structure, results and key-value
/// pairs; ASE gives it a new id and time stamp), so merging twice, or merging a shard that was merged already, adds
/// nothing. Rows are added in one transaction per source: a merge killed midway leaves the target as it was before
/// that source, and running it again completes it.
/// </summary>
public static class CampaignMerge
{
    public static MergeSummary Merge(string target, IEnumerable<string> sources)
    {
        var present = AseDatabase.TextValues(target, RelaxCampaign.KeyName);
        int added = 0, already = 0, withoutKey = 0;
        foreach (string source in sources)
        {
            if (Path.GetFullPath(source) == Path.GetFullPath(target)) continue;
            if (!File.Exists(source)) throw new FileNotFoundException($"{source}: no such database", source);
            var fresh = new List<Structures.Structure>();
            foreach (var row in AseDatabase.Read(source))
            {
                if (row.Info.GetValueOrDefault(RelaxCampaign.KeyName) is not string key) { withoutKey++; continue; }
                if (!present.Add(key)) { already++; continue; }
                row.Info.Remove("id");
                fresh.Add(row);
            }
            if (fresh.Count > 0) AseDatabase.AppendAll(target, fresh);
            added += fresh.Count;
        }
        return new MergeSummary(added, already, withoutKey);
    }
}
