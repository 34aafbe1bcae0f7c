using System.Text;

namespace MDEngine.IO;

/// <summary>The kinds of CIF 1.1 tokens.</summary>
public enum CifTokenKind { DataBlock, Loop, Tag, Value, Save, Global, Stop }

/// <summary>A CIF token: its text (a value without its quotes or semicolons), whether it was quoted or a text field
/// (so that '?' and '.' in quotes are ordinary strings), and the 1-based line where it starts.</summary>
public readonly record struct CifToken(CifTokenKind Kind, string Text, bool Quoted, int Line);

/// <summary>
/// Splits CIF 1.1 text into tokens: <c>data_</c> headings, <c>loop_</c>, tags (<c>_name</c>), values (bare words,
/// 'single' or "double" quoted strings — a quote closes only when followed by whitespace or the end of the line —
/// and text fields between lines that begin with ';'), with '#' comments skipped.
/// </summary>
public static class CifTokenizer
{
    public static List<CifToken> Tokenize(TextReader reader, string? fileName)
    {
        var tokens = new List<CifToken>();
        var lines = new LineReader(reader, fileName);
        string? line;
        while ((line = lines.Next()) is not null)
        {
            if (line.StartsWith(';'))
            {
                int start = lines.Number;
                var text = new StringBuilder(line[1..]);
                bool closed = false;
                while ((line = lines.Next()) is not null)
                {
                    if (line.StartsWith(';')) { closed = true; break; }
                    text.Append('\n').Append(line);
                }
                if (!closed) throw new InputException(fileName, start, "text field opened with ';' is never closed");
                tokens.Add(new CifToken(CifTokenKind.Value, text.ToString(), true, start));
                line = line![1..];
                if (line.Trim().Length > 0) TokenizeLine(line, lines, tokens);
                continue;
            }
            TokenizeLine(line, lines, tokens);
        }
        return tokens;
    }

    private static void TokenizeLine(string line, LineReader lines, List<CifToken> tokens)
    {
        int i = 0, n = line.Length;
        while (i < n)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') return;
            if (c is '\'' or '"')
            {
                int j = i + 1;
                while (j < n && !(line[j] == c && (j + 1 == n || char.IsWhiteSpace(line[j + 1])))) j++;
                if (j >= n) throw lines.Error($"quoted string {ExtXyzReader.Shorten(line[i..])} is not closed on its line");
                tokens.Add(new CifToken(CifTokenKind.Value, line[(i + 1)..j], true, lines.Number));
                i = j + 1;
                continue;
            }
            int k = i;
            while (k < n && !char.IsWhiteSpace(line[k])) k++;
            string word = line[i..k];
            i = k;
            tokens.Add(Classify(word, lines.Number));
        }
    }

    private static CifToken Classify(string word, int line)
    {
        if (word.StartsWith('_')) return new CifToken(CifTokenKind.Tag, word, false, line);
        if (word.StartsWith("data_", StringComparison.OrdinalIgnoreCase)) return new CifToken(CifTokenKind.DataBlock, word[5..], false, line);
        if (word.Equals("loop_", StringComparison.OrdinalIgnoreCase)) return new CifToken(CifTokenKind.Loop, word, false, line);
        if (word.StartsWith("save_", StringComparison.OrdinalIgnoreCase)) return new CifToken(CifTokenKind.Save, word[5..], false, line);
        if (word.Equals("global_", StringComparison.OrdinalIgnoreCase)) return new CifToken(CifTokenKind.Global, word, false, line);
        if (word.Equals("stop_", StringComparison.OrdinalIgnoreCase)) return new CifToken(CifTokenKind.Stop, word, false, line);
        return new CifToken(CifTokenKind.Value, word, false, line);
    }
}
