using System.Globalization;
using MDEngine.ML.Training;

namespace MDEngine.Cli.Training;

/// <summary>
/// What <c>mdengine train</c> shows and writes while a run works: a progress bar through each epoch's batches on a
/// terminal (stderr), one line per epoch (stdout), the metrics CSV rewritten after every epoch, and at the end the
/// learning-curve and test parity plots (<see cref="TrainingPlots"/>) and the test errors.
/// </summary>
internal sealed class TrainingReport(TrainingOptions options, TextWriter output, TextWriter? terminal) : ITrainingObserver
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    public string CsvPath => Path.Combine(options.ResultsDir, $"{options.Name}_train.csv");

    public void Message(string text) => output.WriteLine(text);

    public void BatchDone(int epoch, int batch, int batches)
    {
        if (terminal is null) return;
        const int width = 30;
        int filled = batch * width / batches;
        terminal.Write($"\repoch {epoch,4} [{new string('#', filled)}{new string('.', width - filled)}] {batch}/{batches}");
        if (batch == batches) terminal.Write("\r" + new string(' ', width + 30) + "\r");
    }

    public void EpochDone(IReadOnlyList<EpochRecord> history)
    {
        var r = history[^1];
        string valid = double.IsNaN(r.ValidLoss) ? "" :
            FormattableString.Invariant($" valid loss {r.ValidLoss:G6} RMSE E {1000 * r.RmseEnergyPerAtom:F2} meV/atom F {1000 * r.RmseForces:F2} meV/Å")
            + (double.IsNaN(r.RmseStress) ? "" : FormattableString.Invariant($" σ {1000 * r.RmseStress:F3} meV/Å³"));
        output.WriteLine(string.Create(Inv, $"epoch {r.Epoch,4} stage {r.Stage} lr {r.LearningRate:G3} train loss {r.TrainLoss:G6}{valid} ({r.Seconds:F1} s)"));
        WriteCsv(history);
    }

    private void WriteCsv(IReadOnlyList<EpochRecord> history)
    {
        Directory.CreateDirectory(options.ResultsDir);
        using var w = new StreamWriter(CsvPath + ".tmp");
        w.WriteLine("epoch,stage,lr,train_loss,valid_loss,valid_rmse_e_per_atom_meV,valid_mae_e_per_atom_meV,valid_rmse_f_meV_per_A,valid_mae_f_meV_per_A,valid_rmse_stress_meV_per_A3,valid_mae_stress_meV_per_A3,seconds");
        // A value not evaluated (or not labelled) is an empty field, never NaN.
        static string F(double v) => double.IsFinite(v) ? v.ToString("R", Inv) : "";
        foreach (var r in history)
            w.WriteLine(string.Join(",", r.Epoch.ToString(Inv), r.Stage.ToString(Inv), F(r.LearningRate), F(r.TrainLoss), F(r.ValidLoss),
                F(1000 * r.RmseEnergyPerAtom), F(1000 * r.MaeEnergyPerAtom), F(1000 * r.RmseForces), F(1000 * r.MaeForces),
                F(1000 * r.RmseStress), F(1000 * r.MaeStress), F(r.Seconds)));
        w.Close();
        File.Move(CsvPath + ".tmp", CsvPath, overwrite: true);
    }

    public void Finish(TrainingResult result)
    {
        output.WriteLine($"best model (epoch {result.BestEpoch}): {result.ModelPath}");
        var plots = TrainingPlots.Write(options.ResultsDir, options.Name, result);
        output.WriteLine($"metrics: {CsvPath}; plots: {string.Join(", ", plots)}");
        if (result.Test is { } t)
            output.WriteLine(FormattableString.Invariant($"test: RMSE E {1000 * t.RmseEnergyPerAtom:F2} meV/atom, F {1000 * t.RmseForces:F2} meV/Å; MAE E {1000 * t.MaeEnergyPerAtom:F2} meV/atom, F {1000 * t.MaeForces:F2} meV/Å")
                + (t.HasStress ? FormattableString.Invariant($"; RMSE σ {1000 * t.RmseStress:F3} meV/Å³") : ""));
    }
}
