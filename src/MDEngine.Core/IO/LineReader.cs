namespace MDEngine.IO;

/// <summary>Reads text line by line, counting lines (1-based) so that errors can name where they are.</summary>
public sealed class LineReader(TextReader reader, string? fileName)
{
    public string? FileName { get; } = fileName;

    /// <summary>The 1-based number of the line last returned by <see cref="Next"/> (0 before the first).</summary>
    public int Number { get; private set; }

    private string? _peeked;
    private bool _hasPeeked;

    public string? Next()
    {
        string? line;
        if (_hasPeeked) { line = _peeked; _hasPeeked = false; _peeked = null; }
        else line = reader.ReadLine();
        if (line is not null) Number++;
        return line;
    }

    /// <summary>The next line without consuming it (null at the end).</summary>
    public string? Peek()
    {
        if (!_hasPeeked) { _peeked = reader.ReadLine(); _hasPeeked = true; }
        return _peeked;
    }

    /// <summary>An error at the current line; <paramref name="atEnd"/> for a file that ended too early (names the
    /// line after the last one).</summary>
    public InputException Error(string problem, bool atEnd = false) => new(FileName, atEnd ? Number + 1 : Number, problem);
}
