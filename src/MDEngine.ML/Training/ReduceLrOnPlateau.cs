namespace MDEngine.ML.Training;

/// <summary>
/// torch's ReduceLROnPlateau in mode "min" with a relative threshold of 1e-4 and no cooldown: when the validation
/// loss has not improved on its best by that margin for more than <c>patience</c> epochs, every group's learning
/// rate is multiplied by <c>factor</c>.
/// </summary>
public sealed class ReduceLrOnPlateau(double factor, int patience, double threshold = 1e-4, double minLr = 0.0)
{
    public double Best { get; set; } = double.PositiveInfinity;
    public int BadEpochs { get; set; }

    public void Step(double loss, IEnumerable<ParameterGroup> groups)
    {
        if (loss < Best * (1 - threshold)) { Best = loss; BadEpochs = 0; }
        else BadEpochs++;
        if (BadEpochs <= patience) return;
        foreach (var g in groups)
        {
            double lr = Math.Max(g.LearningRate * factor, minLr);
            if (g.LearningRate - lr > 1e-8) g.LearningRate = lr;
        }
        BadEpochs = 0;
    }
}
