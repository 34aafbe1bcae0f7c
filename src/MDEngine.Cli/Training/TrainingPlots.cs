using MDEngine.ML.Training;
using ScottPlot;

namespace MDEngine.Cli.Training;

/// <summary>The PNG plots of a run (ScottPlot): the learning curves (training and validation loss, log scale; the
/// validation RMSE of energy and forces) and, with a test set, the parity plots of test energies per atom and force
/// components.</summary>
internal static class TrainingPlots
{
    public static List<string> Write(string directory, string name, TrainingResult result)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var h = result.History;
        var evaluated = h.Where(r => double.IsFinite(r.ValidLoss)).ToArray();
        var loss = new Plot();
        AddLine(loss, h.Where(r => r.TrainLoss > 0).Select(r => ((double)r.Epoch, Math.Log10(r.TrainLoss))), "training");
        AddLine(loss, evaluated.Where(r => r.ValidLoss > 0).Select(r => ((double)r.Epoch, Math.Log10(r.ValidLoss))), "validation");
        loss.XLabel("epoch"); loss.YLabel("log10 loss"); loss.Title("Loss"); loss.ShowLegend();
        written.Add(Save(loss, directory, $"{name}_loss.png"));

        var errors = new Plot();
        AddLine(errors, evaluated.Select(r => ((double)r.Epoch, 1000 * r.RmseEnergyPerAtom)), "RMSE E (meV/atom)");
        AddLine(errors, evaluated.Select(r => ((double)r.Epoch, 1000 * r.RmseForces)), "RMSE F (meV/Å)");
        errors.XLabel("epoch"); errors.YLabel("validation error"); errors.Title("Validation errors"); errors.ShowLegend();
        written.Add(Save(errors, directory, $"{name}_errors.png"));

        if (result.Test is { } test)
        {
            written.Add(Parity(test.EnergyPairs, "energy per atom (eV/atom)", directory, $"{name}_parity_energy.png"));
            written.Add(Parity(test.ForcePairs, "force component (eV/Å)", directory, $"{name}_parity_forces.png"));
        }
        return written;
    }

    private static void AddLine(Plot plot, IEnumerable<(double X, double Y)> points, string label)
    {
        var p = points.Where(q => double.IsFinite(q.Y)).ToArray();
        if (p.Length == 0) return;
        var line = plot.Add.Scatter(p.Select(q => q.X).ToArray(), p.Select(q => q.Y).ToArray());
        line.LegendText = label;
    }

    private static string Parity(List<(double Reference, double Predicted)> pairs, string what, string directory, string file)
    {
        var plot = new Plot();
        if (pairs.Count > 0)
        {
            var points = plot.Add.ScatterPoints(pairs.Select(p => p.Reference).ToArray(), pairs.Select(p => p.Predicted).ToArray());
            points.MarkerSize = 3;
            double lo = pairs.Min(p => Math.Min(p.Reference, p.Predicted)), hi = pairs.Max(p => Math.Max(p.Reference, p.Predicted));
            plot.Add.Line(lo, lo, hi, hi);
        }
        plot.XLabel($"reference {what}"); plot.YLabel($"model {what}"); plot.Title("Test set parity");
        return Save(plot, directory, file);
    }

    private static string Save(Plot plot, string directory, string file)
    {
        string path = Path.Combine(directory, file);
        plot.SavePng(path, 800, 600);
        return path;
    }
}
