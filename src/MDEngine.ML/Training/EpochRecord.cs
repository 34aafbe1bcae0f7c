namespace MDEngine.ML.Training;

/// <summary>One epoch of a run: the stage (1, or 2 from start_swa), the learning rate it ran at, the mean training
/// loss over its batches, the validation loss and errors (eV, Å; NaN where not evaluated or not labelled) and the
/// wall time of its optimisation.</summary>
public sealed record EpochRecord(int Epoch, int Stage, double LearningRate, double TrainLoss, double ValidLoss,
    double RmseEnergyPerAtom, double MaeEnergyPerAtom, double RmseForces, double MaeForces, double RmseStress, double MaeStress, double Seconds)
{
    public static EpochRecord From(int epoch, int stage, double lr, double trainLoss, ErrorMetrics? valid, double seconds) =>
        new(epoch, stage, lr, trainLoss, valid?.Loss ?? double.NaN, valid?.RmseEnergyPerAtom ?? double.NaN, valid?.MaeEnergyPerAtom ?? double.NaN,
            valid?.RmseForces ?? double.NaN, valid?.MaeForces ?? double.NaN, valid?.RmseStress ?? double.NaN, valid?.MaeStress ?? double.NaN, seconds);
}
