namespace MDEngine.IO;

/// <summary>Bad input: names the file, the line (1-based, when one applies) and the problem. The command line
/// prints <see cref="Exception.Message"/> as one line and exits with code 2.</summary>
public sealed class InputException : Exception
{
    public string? FileName { get; }
    public int? Line { get; }
    public string Problem { get; }

    public InputException(string? fileName, int? line, string problem, Exception? inner = null)
        : base(Format(fileName, line, problem), inner)
    {
        FileName = fileName; Line = line; Problem = problem;
    }

    private static string Format(string? fileName, int? line, string problem) =>
        (fileName, line) switch
        {
            (null, null) => problem,
            (null, _) => $"line {line}: {problem}",
            (_, null) => $"{fileName}: {problem}",
            _ => $"{fileName}:{line}: {problem}",
        };
}
