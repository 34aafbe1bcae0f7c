using System.Globalization;

namespace MDEngine.IO;

/// <summary>A CIF value: text, whether it was quoted, and its line. Unquoted '?' (unknown) and '.' (not
/// applicable) are missing values.</summary>
public readonly record struct CifValue(string Text, bool Quoted, int Line)
{
    public bool IsMissing => !Quoted && Text is "?" or ".";

    /// <summary>A number, ignoring a standard uncertainty in parentheses: "5.431(2)" → 5.431.</summary>
    public bool TryGetNumber(out double value)
    {
        value = 0;
        if (IsMissing) return false;
        string t = Text;
        int paren = t.IndexOf('(');
        if (paren > 0 && t.EndsWith(')') && t[(paren + 1)..^1].All(char.IsDigit)) t = t[..paren];
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }
}

/// <summary>A loop: tag names (lower case) and rows of values.</summary>
public sealed class CifLoop(List<string> tags)
{
    public List<string> Tags { get; } = tags;
    public List<CifValue[]> Rows { get; } = [];
    public int Column(string tag) => Tags.IndexOf(tag);
}

/// <summary>One <c>data_</c> block: single items by tag (lower case) and loops.</summary>
public sealed class CifBlock(string name, int line)
{
    public string Name { get; } = name;
    public int Line { get; } = line;
    public Dictionary<string, CifValue> Items { get; } = new(StringComparer.Ordinal);
    public List<CifLoop> Loops { get; } = [];

    /// <summary>Why the rest of this block could not be parsed (a loop with a missing value, a tag twice), or null.
    /// The parser skips to the next block, so a damaged powder-pattern block does not hide the structure block.</summary>
    public InputException? Problem { get; set; }

    /// <summary>The loop holding <paramref name="tag"/>, if any.</summary>
    public CifLoop? LoopWith(string tag) => Loops.FirstOrDefault(l => l.Tags.Contains(tag));

    /// <summary>Values of a tag, whether it is a single item or a loop column.</summary>
    public List<CifValue>? Values(string tag)
    {
        if (Items.TryGetValue(tag, out var v)) return [v];
        var loop = LoopWith(tag);
        if (loop is null) return null;
        int c = loop.Column(tag);
        return loop.Rows.Select(r => r[c]).ToList();
    }
}

/// <summary>The data blocks of a CIF file, parsed from <see cref="CifTokenizer"/> tokens.</summary>
public static class CifDocument
{
    public static List<CifBlock> Parse(TextReader reader, string? fileName)
    {
        var tokens = CifTokenizer.Tokenize(reader, fileName);
        var blocks = new List<CifBlock>();
        CifBlock? block = null;
        int i = 0;
        while (i < tokens.Count)
        {
            try { i = ParseItem(tokens, i, blocks, ref block, fileName); }
            catch (InputException e) when (block is not null)
            {
                block.Problem ??= e;
                i++;
                while (i < tokens.Count && tokens[i].Kind != CifTokenKind.DataBlock) i++;
            }
        }
        if (blocks.Count == 0) throw new InputException(fileName, null, "no data_ block: not a CIF file");
        return blocks;
    }

    // One item, loop, block header or save frame starting at token i; returns the index after it.
    private static int ParseItem(List<CifToken> tokens, int i, List<CifBlock> blocks, ref CifBlock? block, string? fileName)
    {
        var t = tokens[i];
        switch (t.Kind)
        {
            case CifTokenKind.DataBlock:
                block = new CifBlock(t.Text, t.Line);
                blocks.Add(block);
                i++;
                break;
            case CifTokenKind.Save:
                // Save frames belong to dictionaries, not structure files: skip to the closing 'save_'.
                i++;
                while (i < tokens.Count && !(tokens[i].Kind == CifTokenKind.Save && tokens[i].Text.Length == 0)) i++;
                if (i >= tokens.Count) throw new InputException(fileName, t.Line, $"save frame save_{t.Text} is never closed");
                i++;
                break;
            case CifTokenKind.Global or CifTokenKind.Stop:
                throw new InputException(fileName, t.Line, $"'{t.Text}' is not allowed in a CIF 1.1 file");
            case CifTokenKind.Tag:
                if (block is null) throw new InputException(fileName, t.Line, $"tag {t.Text} before any data_ block");
                if (i + 1 >= tokens.Count || tokens[i + 1].Kind != CifTokenKind.Value)
                    throw new InputException(fileName, t.Line, $"tag {t.Text} has no value");
                var v = tokens[i + 1];
                string tag = t.Text.ToLowerInvariant();
                if (block.Items.ContainsKey(tag) || block.LoopWith(tag) is not null)
                    throw new InputException(fileName, t.Line, $"tag {t.Text} appears twice in data_{block.Name}");
                block.Items[tag] = new CifValue(v.Text, v.Quoted, v.Line);
                i += 2;
                break;
            case CifTokenKind.Loop:
                if (block is null) throw new InputException(fileName, t.Line, "loop_ before any data_ block");
                i = ParseLoop(tokens, i + 1, block, fileName, t.Line);
                break;
            default:
                throw new InputException(fileName, t.Line, $"value '{ExtXyzReader.Shorten(t.Text)}' without a tag");
        }
        return i;
    }

    private static int ParseLoop(List<CifToken> tokens, int i, CifBlock block, string? fileName, int loopLine)
    {
        var tags = new List<string>();
        while (i < tokens.Count && tokens[i].Kind == CifTokenKind.Tag)
        {
            string tag = tokens[i].Text.ToLowerInvariant();
            if (tags.Contains(tag) || block.Items.ContainsKey(tag) || block.LoopWith(tag) is not null)
                throw new InputException(fileName, tokens[i].Line, $"tag {tokens[i].Text} appears twice in data_{block.Name}");
            tags.Add(tag);
            i++;
        }
        if (tags.Count == 0) throw new InputException(fileName, loopLine, "loop_ without tags");
        var loop = new CifLoop(tags);
        var row = new List<CifValue>();
        int lastLine = loopLine;
        while (i < tokens.Count && tokens[i].Kind == CifTokenKind.Value)
        {
            row.Add(new CifValue(tokens[i].Text, tokens[i].Quoted, tokens[i].Line));
            lastLine = tokens[i].Line;
            if (row.Count == tags.Count) { loop.Rows.Add(row.ToArray()); row.Clear(); }
            i++;
        }
        // Added even when damaged, so that the block still shows what it held (atom sites or a powder pattern).
        block.Loops.Add(loop);
        if (row.Count != 0)
            throw new InputException(fileName, lastLine, $"loop starting at line {loopLine} has {loop.Rows.Count * tags.Count + row.Count} values, not a multiple of its {tags.Count} tags");
        return i;
    }
}
