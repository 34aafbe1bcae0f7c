using System.Globalization;
using CsvHelper;

namespace MDEngine.Dynamics;

/// <summary>
/// Writes one CSV row per logged step, the unit in each column name: step, time_ps, epot_ev, ekin_ev, etotal_ev,
/// conserved_ev, temperature_k, pressure_gpa, volume_a3 (Å³), a_a, b_a, c_a (Å), ns_per_day. A value that does not
/// exist (the volume of a molecule) is an empty field. Rows are flushed as written so the file can be followed
/// during a run.
/// </summary>
public sealed class ThermoLogObserver : MdObserver, IDisposable
{
    public static readonly string[] Columns =
        ["step", "time_ps", "epot_ev", "ekin_ev", "etotal_ev", "conserved_ev", "temperature_k", "pressure_gpa", "volume_a3", "a_a", "b_a", "c_a", "ns_per_day"];

    private readonly TextWriter _writer;
    private readonly CsvWriter _csv;
    private readonly bool _ownsWriter;
    private bool _headerWritten;

    public ThermoLogObserver(TextWriter writer, int interval, bool ownsWriter = false) : base(interval)
    {
        _writer = writer; _ownsWriter = ownsWriter;
        _csv = CsvWriter.Create(writer, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture, NewLine = "\n" }, true);
    }

    /// <summary>Appends to <paramref name="path"/> when <paramref name="append"/> (a restarted run), else starts a new file.</summary>
    public static ThermoLogObserver ToFile(string path, int interval, bool append = false)
    {
        bool existing = append && File.Exists(path) && new FileInfo(path).Length > 0;
        var log = new ThermoLogObserver(new StreamWriter(path, append), interval, ownsWriter: true);
        log._headerWritten = existing;
        return log;
    }

    public override void Observe(MolecularDynamics md)
    {
        if (!_headerWritten)
        {
            foreach (var c in Columns) _csv.WriteField(c);
            _csv.EndRecord();
            _headerWritten = true;
        }
        var t = md.Sample();
        _csv.WriteField(t.Step);
        foreach (var x in new[] { t.TimePs, t.PotentialEnergy, t.KineticEnergy, t.TotalEnergy, t.ConservedEnergy, t.Temperature })
            _csv.WriteField(Field(x));
        _csv.WriteField(t.PressureGPa is { } p ? Field(p) : "");
        foreach (var x in new[] { t.Volume, t.A, t.B, t.C })
            _csv.WriteField(Field(x));
        _csv.WriteField(t.NsPerDay.ToString("G6", CultureInfo.InvariantCulture));
        _csv.EndRecord();
        _csv.Flush();
        _writer.Flush();
    }

    // A value that does not exist (the volume of a molecule) is an empty field: never "NaN" in a file.
    private static string Field(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    public override void Finish(MolecularDynamics md, bool completed) => _writer.Flush();

    public void Dispose()
    {
        _csv.Dispose();
        if (_ownsWriter) _writer.Dispose();
    }
}
