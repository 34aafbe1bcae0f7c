using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace MDEngine.Cli;

/// <summary>
/// Progress of a campaign: structures done of the total, structures per second and the time left. On a terminal, a
/// progress bar; otherwise (a file, a pipe, a batch job's log) thermo-style lines under one header, one every
/// <c>every</c> structures and one at the end.
/// </summary>
internal sealed class CampaignProgress(TextWriter output, bool terminal, int total, int every)
{
    private static readonly string Header = string.Format(CultureInfo.InvariantCulture, "{0,10} {1,10} {2,10} {3,12} {4,11} {5,10}",
        "Done", "Total", "Converged", "Struct/s", "Elapsed(s)", "ETA(s)");
    private readonly Stopwatch _clock = new();
    private ProgressTask? _task;
    private bool _headerWritten;
    private int _done, _converged;

    /// <summary>Runs <paramref name="work"/> (which calls <see cref="Finished"/> once per structure) under the display.</summary>
    public T Run<T>(Func<T> work)
    {
        _clock.Start();
        if (!terminal || total == 0)
        {
            var result = work();
            if (!terminal && _done % every != 0) Line();
            return result;
        }
        T value = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                _task = context.AddTask(Describe(), maxValue: total);
                value = work();
                _task.Value = total;
            });
        return value;
    }

    public void Finished(bool converged)
    {
        _done++;
        if (converged) _converged++;
        if (_task is { } task)
        {
            task.Value = _done;
            task.Description = Describe();
        }
        else if (!terminal && _done % every == 0) Line();
    }

    private double Rate => _clock.Elapsed.TotalSeconds > 0 ? _done / _clock.Elapsed.TotalSeconds : 0;

    private string Describe() => string.Create(CultureInfo.InvariantCulture, $"{_done}/{total} relaxed  {Rate:F2} structures/s");

    private void Line()
    {
        if (!_headerWritten) { output.WriteLine(Header); _headerWritten = true; }
        double rate = Rate;
        string eta = rate > 0 ? ((total - _done) / rate).ToString("F0", CultureInfo.InvariantCulture) : "";
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,10} {1,10} {2,10} {3,12:F3} {4,11:F1} {5,10}",
            _done, total, _converged, rate, _clock.Elapsed.TotalSeconds, eta));
        output.Flush();
    }
}
