using System.CommandLine;
using MDEngine.IO;
using MDEngine.Potentials;

namespace MDEngine.Cli;

/// <summary>Runs a command line and turns failures into one-line messages and exit codes: 2 for bad input
/// (a file, an option value, an element a potential does not cover), 1 for anything else. Never a stack trace.</summary>
public static class CliRunner
{
    public const int BadInput = 2;

    public static int Invoke(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (output is not null) config.Output = output;
        if (error is not null) config.Error = error;
        var stderr = error ?? Console.Error;
        try
        {
            var parse = root.Parse(args);
            // A value the parser cannot read, a missing argument or an unknown option is bad input too.
            if (parse.Errors.Count > 0 && !IsHelpOrVersionRequest(parse))
            {
                foreach (var parseError in parse.Errors) stderr.WriteLine($"error: {OneLine(parseError.Message)}");
                return BadInput;
            }
            return parse.Invoke(config);
        }
        catch (Exception e) when (IsBadInput(e))
        {
            stderr.WriteLine($"error: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("interrupted");
            return 130;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"error: {OneLine(e.Message)}");
            return 1;
        }
    }

    private static bool IsHelpOrVersionRequest(ParseResult parse) =>
        parse.Tokens.Any(t => t.Value is "--help" or "-h" or "-?" or "--version");

    private static bool IsBadInput(Exception e) => e is InputException or PotentialCoverageException or UsageException or Workflows.SettingsException
        or FileNotFoundException or DirectoryNotFoundException;

    /// <summary>The message on one line with every other control character escaped (\x1B, \u0085, ...): text
    /// copied from a damaged input must not move the cursor, ring the bell or recolour the terminal.</summary>
    internal static string OneLine(string message)
    {
        var text = new System.Text.StringBuilder(message.Length);
        foreach (char c in message.ReplaceLineEndings(" "))
        {
            if (c == '\t') text.Append(' ');
            else if (char.IsControl(c)) text.Append(c <= 0xFF ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
            else text.Append(c);
        }
        return text.ToString();
    }
}

/// <summary>A wrong option value or combination on the command line (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
