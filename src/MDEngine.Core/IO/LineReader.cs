using System.Text;

namespace MDEngine.IO;

/// <summary>Reads text line by line, counting lines (1-based) so that errors can name where they are. Lines end at
/// "\n", "\r\n" or "\r", as <see cref="TextReader.ReadLine"/> has it, but a line longer than
/// <see cref="MaxLineLength"/> is an error instead of a string of any size: a small gzip file can unpack to one line
/// of hundreds of megabytes, which no structure format has.</summary>
public sealed class LineReader(TextReader reader, string? fileName)
{
    /// <summary>The longest line accepted, in characters (16 MB of memory).</summary>
    public const int MaxLineLength = 8 * 1024 * 1024;

    public string? FileName { get; } = fileName;

    /// <summary>The 1-based number of the line last returned by <see cref="Next"/> (0 before the first).</summary>
    public int Number { get; private set; }

    private string? _peeked;
    private bool _hasPeeked;
    private readonly char[] _buffer = new char[16384];
    private int _start, _end;
    private bool _skipLineFeed; // the last line ended with '\r': a '\n' right after it belongs to that ending
    private int _linesRead;

    public string? Next()
    {
        string? line;
        if (_hasPeeked) { line = _peeked; _hasPeeked = false; _peeked = null; }
        else line = ReadLine();
        if (line is not null) Number++;
        return line;
    }

    /// <summary>The next line without consuming it (null at the end).</summary>
    public string? Peek()
    {
        if (!_hasPeeked) { _peeked = ReadLine(); _hasPeeked = true; }
        return _peeked;
    }

    /// <summary>An error at the current line; <paramref name="atEnd"/> for a file that ended too early (names the
    /// line after the last one).</summary>
    public InputException Error(string problem, bool atEnd = false) => new(FileName, atEnd ? Number + 1 : Number, problem);

    private string? ReadLine()
    {
        StringBuilder? partial = null;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = reader.Read(_buffer, 0, _buffer.Length);
                if (_end == 0) return Finish(partial?.ToString());
            }
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_buffer[_start] == '\n') { _start++; continue; }
            }
            int i = _start;
            while (i < _end && _buffer[i] is not ('\n' or '\r')) i++;
            int length = i - _start;
            if ((partial?.Length ?? 0) + length > MaxLineLength)
                throw new InputException(FileName, _linesRead + 1, $"line longer than {MaxLineLength} characters: not a structure file");
            if (i < _end)
            {
                string line = partial is null ? new string(_buffer, _start, length) : partial.Append(_buffer, _start, length).ToString();
                _skipLineFeed = _buffer[i] == '\r';
                _start = i + 1;
                return Finish(line);
            }
            (partial ??= new StringBuilder()).Append(_buffer, _start, length);
            _start = _end;
        }
    }

    private string? Finish(string? line)
    {
        if (line is not null) _linesRead++;
        return line;
    }
}
