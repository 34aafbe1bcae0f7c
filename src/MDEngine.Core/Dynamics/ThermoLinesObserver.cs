using System.Globalization;

namespace MDEngine.Dynamics;

/// <summary>
/// Prints a thermo line every <see cref="MdObserver.Interval"/> steps, as LAMMPS's <c>thermo</c> does, under one
/// header line naming each column with its unit: step, time (ps), potential, kinetic and total energy (eV),
/// temperature (K), pressure (GPa; blank for a molecule), volume (Å³; blank for a molecule) and speed (ns/day).
/// Batch jobs whose output goes to a file see the run progress instead of minutes of silence.
/// </summary>
public sealed class ThermoLinesObserver(TextWriter writer, int interval) : MdObserver(interval)
{
    private static readonly string Header = string.Format(CultureInfo.InvariantCulture, "{0,10} {1,12} {2,16} {3,14} {4,16} {5,10} {6,11} {7,12} {8,10}",
        "Step", "Time(ps)", "PotEng(eV)", "KinEng(eV)", "TotEng(eV)", "Temp(K)", "Press(GPa)", "Volume(Å³)", "ns/day");
    private bool _headerWritten;

    public override void Observe(MolecularDynamics md)
    {
        if (!_headerWritten) { writer.WriteLine(Header); _headerWritten = true; }
        var t = md.Sample();
        static string Optional(double? x, string format) => x is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";
        writer.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,10} {1,12:F4} {2,16:F6} {3,14:F6} {4,16:F6} {5,10:F2} {6,11} {7,12} {8,10}",
            t.Step, t.TimePs, t.PotentialEnergy, t.KineticEnergy, t.TotalEnergy, t.Temperature,
            Optional(t.PressureGPa, "F4"), Optional(t.Volume, "F3"), Optional(t.NsPerDay, "F3")));
        writer.Flush();
    }
}
