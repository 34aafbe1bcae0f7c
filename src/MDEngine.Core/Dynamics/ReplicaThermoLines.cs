using System.Diagnostics;
using System.Globalization;

namespace MDEngine.Dynamics;

/// <summary>
/// Thermo lines for runs stepping side by side: one line per interval once every run still going has reached that
/// step — the step, how many runs are going, their temperature (mean, lowest, highest), mean potential energy per
/// atom, mean pressure, the elapsed time and the time left — so a batch job's output shows progress without one line
/// per replica. The runs call in from their own threads; lines come out whole and in step order.
/// </summary>
public sealed class ReplicaThermoLines(TextWriter writer, int runs, long totalSteps)
{
    private static readonly string Header = string.Format(CultureInfo.InvariantCulture, "{0,10} {1,5} {2,10} {3,10} {4,10} {5,16} {6,11} {7,10} {8,10}",
        "Step", "Runs", "Temp(K)", "Tmin(K)", "Tmax(K)", "PotEng/atom(eV)", "Press(GPa)", "Elapsed(s)", "ETA(s)");
    private readonly object _lock = new();
    private readonly SortedDictionary<long, List<ThermoSample>> _pending = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<long> _lastSteps = [];
    private long? _firstStep;
    private bool _headerWritten;

    /// <summary>The observer one run adds to report to these lines.</summary>
    public MdObserver ObserverFor(int interval) => new Member(this, interval);

    private void Report(long step, ThermoSample sample, int atoms)
    {
        lock (_lock)
        {
            _firstStep ??= step;
            if (!_pending.TryGetValue(step, out var samples)) _pending[step] = samples = [];
            samples.Add(sample with { PotentialEnergy = sample.PotentialEnergy / atoms });
            Flush();
        }
    }

    /// <summary>A run stopped at <paramref name="lastStep"/>: steps after it no longer wait for it.</summary>
    private void Leave(long lastStep)
    {
        lock (_lock)
        {
            _lastSteps.Add(lastStep);
            Flush();
        }
    }

    /// <summary>Prints every step that all runs still going at that step have reached.</summary>
    private void Flush()
    {
        while (_pending.Count > 0)
        {
            var (step, samples) = _pending.First();
            if (samples.Count < runs - _lastSteps.Count(last => last < step)) return;
            _pending.Remove(step);
            if (!_headerWritten) { writer.WriteLine(Header); _headerWritten = true; }
            double elapsed = _clock.Elapsed.TotalSeconds;
            long done = step - (_firstStep ?? step);
            string eta = done > 0 ? (elapsed / done * Math.Max(0, totalSteps - step)).ToString("F1", CultureInfo.InvariantCulture) : "";
            var pressures = samples.Where(x => x.PressureGPa is { } p && double.IsFinite(p)).Select(x => x.PressureGPa!.Value).ToArray();
            writer.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,10} {1,5} {2,10:F2} {3,10:F2} {4,10:F2} {5,16:F6} {6,11} {7,10:F1} {8,10}",
                step, samples.Count, samples.Average(x => x.Temperature), samples.Min(x => x.Temperature), samples.Max(x => x.Temperature),
                samples.Average(x => x.PotentialEnergy), pressures.Length > 0 ? pressures.Average().ToString("F4", CultureInfo.InvariantCulture) : "",
                elapsed, eta));
            writer.Flush();
        }
    }

    private sealed class Member(ReplicaThermoLines lines, int interval) : MdObserver(interval)
    {
        public override void Observe(MolecularDynamics md) => lines.Report(md.State.Step, md.Sample(), md.State.Count);
        public override void Finish(MolecularDynamics md, bool completed) => lines.Leave(md.State.Step);
    }
}
